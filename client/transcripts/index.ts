/** Recorded transcripts: the format (docs/transcripts.md), record and replay. */
export { runRecord, runReplay, type CliIo } from './cli.js';
export { TranscriptSyntaxError, UsageError } from './errors.js';
export { parseTranscript } from './parse.js';
export { record, type RecordIo, type RecordOptions } from './record.js';
export { DEFAULT_TIMEOUT_MS, replayParsed, replayTranscript, type ReplayOptions, type ReplayResult } from './replay.js';
export type { Transcript, TranscriptLine } from './transcript.js';

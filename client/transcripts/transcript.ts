/** A parsed transcript: the host arguments and the lines, each with its line number in the file. */
import type { Json } from './json.js';
import type { Pattern } from './pattern.js';

export type TranscriptLine =
  /** `{"c": message}`: a message the client sends, framed by the replayer. */
  | { kind: 'client'; line: number; message: Json }
  /** `{"c_body": "text"}`: a body sent as written (for bodies that are not JSON), framed by the replayer. */
  | { kind: 'clientBody'; line: number; body: string }
  /** `{"c_raw": "bytes"}`: bytes written as they are, header included. */
  | { kind: 'clientRaw'; line: number; bytes: string }
  /** `{"h": pattern}`: a message the host must send. */
  | { kind: 'host'; line: number; raw: Json; pattern: Pattern }
  /** `{"eof": true}`: the client closes the host's stdin. */
  | { kind: 'eof'; line: number }
  /** `{"exit": code}`: the host exits with this status. */
  | { kind: 'exit'; line: number; code: number };

export interface Transcript {
  /** The file name (or another label) used in messages. */
  source: string;
  /** From an optional first line `{"host": {"args": [...]}}`: appended to the host command. */
  hostArgs: string[];
  lines: TranscriptLine[];
}

export type HostLine = Extract<TranscriptLine, { kind: 'host' }>;

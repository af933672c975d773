/**
 * `codemode record` and `codemode replay` belong to client/transcripts. They are loaded only
 * when asked for, and through a computed specifier, so this CLI builds and runs (with a clear
 * message for these two commands) in a tree where that module is absent.
 */
import type { CliIo } from './context.js';
import { firstLine } from './usageError.js';

type TranscriptCommand = (argv: string[], io: CliIo) => Promise<number>;

interface TranscriptsCli {
  runRecord: TranscriptCommand;
  runReplay: TranscriptCommand;
}

/** Thrown when the transcripts module is not part of this build. */
export class TranscriptsUnavailableError extends Error {
  constructor(command: string, cause: Error) {
    super(`codemode ${command} is not available in this build: ${TRANSCRIPTS_MODULE} did not load (${firstLine(cause.message)})`, { cause });
    this.name = 'TranscriptsUnavailableError';
  }
}

const TRANSCRIPTS_MODULE = '../transcripts/cli.js';

export const TRANSCRIPT_HELP = `Usage: codemode record [--out FILE] [--generalize] [--host-arg ARG]... -- HOST_COMMAND...
       codemode replay FILE... [--timeout MS] [-- HOST_COMMAND...]

record sits between a client and a host, writing the conversation to a transcript file.
replay plays transcript files against a host and reports, per file, ok or FAIL with a diff.`;

export async function transcriptCommand(command: 'record' | 'replay', argv: string[], io: CliIo): Promise<number> {
  const cli = await loadTranscriptsCli(command);
  return command === 'record' ? cli.runRecord(argv, io) : cli.runReplay(argv, io);
}

async function loadTranscriptsCli(command: string): Promise<TranscriptsCli> {
  const specifier: string = TRANSCRIPTS_MODULE;
  let module: Partial<TranscriptsCli>;
  try {
    module = (await import(specifier)) as Partial<TranscriptsCli>;
  } catch (error) {
    // Only a missing file is "not in this build"; any other failure is a bug to show as it is.
    if ((error as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') throw new TranscriptsUnavailableError(command, error as Error);
    throw error;
  }
  const { runRecord, runReplay } = module;
  if (typeof runRecord !== 'function' || typeof runReplay !== 'function') {
    throw new TranscriptsUnavailableError(command, new Error('it does not export runRecord and runReplay'));
  }
  return { runRecord, runReplay };
}

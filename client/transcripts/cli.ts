/**
 * `codemode record` and `codemode replay`: argv is what follows the subcommand name; the result
 * is the exit status. Wired into the `codemode` command by client/cli.
 */
import { TranscriptSyntaxError, UsageError } from './errors.js';
import { defaultHostCommand } from './hostChild.js';
import { record, type RecordIo } from './record.js';
import { DEFAULT_TIMEOUT_MS, replayTranscript } from './replay.js';

export type CliIo = RecordIo;

const RECORD_USAGE = 'usage: codemode record [--out FILE] [--generalize] [--host-arg ARG]... -- HOST_COMMAND...';
const REPLAY_USAGE = 'usage: codemode replay FILE... [--timeout MS] [-- HOST_COMMAND...]';

export async function runRecord(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { options, command } = splitCommand(argv);
    if (command.length === 0) throw new UsageError('record needs the host command after "--"');
    let out = `codemode-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`;
    let generalize = false;
    const hostArgs: string[] = [];
    for (let i = 0; i < options.length; i++) {
      const option = options[i];
      if (option === '--generalize') generalize = true;
      else if (option === '--out') out = valueOf(options, ++i, option);
      else if (option === '--host-arg') hostArgs.push(valueOf(options, ++i, option));
      else throw new UsageError(`unknown option ${JSON.stringify(option)}`);
    }
    io.stderr.write(`codemode record: writing ${out}\n`);
    const exit = await record(io, { command, hostArgs, out, generalize });
    return exit.code ?? 1;
  } catch (error) {
    return reportError(error, io, RECORD_USAGE);
  }
}

export async function runReplay(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    const { options, command, hasCommand } = splitCommand(argv);
    const files: string[] = [];
    let timeoutMs = DEFAULT_TIMEOUT_MS;
    for (let i = 0; i < options.length; i++) {
      const option = options[i] as string;
      if (option === '--timeout') timeoutMs = positiveInteger(valueOf(options, ++i, option), option);
      else if (option.startsWith('--')) throw new UsageError(`unknown option ${JSON.stringify(option)}`);
      else files.push(option);
    }
    if (files.length === 0) throw new UsageError('replay needs at least one transcript file');
    if (hasCommand && command.length === 0) throw new UsageError('nothing follows "--": give the host command or leave out "--"');
    let failures = 0;
    for (const file of files) {
      const result = await replayTranscript(file, { command: hasCommand ? command : defaultHostCommand(), timeoutMs });
      if (result.ok) {
        io.stdout.write(`ok ${file} (${result.hostMessages} host messages matched)\n`);
      } else {
        failures++;
        io.stderr.write(`FAIL ${file}\n${result.report}\n`);
      }
    }
    return failures === 0 ? 0 : 1;
  } catch (error) {
    return reportError(error, io, REPLAY_USAGE);
  }
}

function splitCommand(argv: readonly string[]): { options: string[]; command: string[]; hasCommand: boolean } {
  const separator = argv.indexOf('--');
  if (separator < 0) return { options: [...argv], command: [], hasCommand: false };
  return { options: argv.slice(0, separator), command: argv.slice(separator + 1), hasCommand: true };
}

function valueOf(options: readonly string[], index: number, option: string): string {
  const value = options[index];
  if (value === undefined) throw new UsageError(`${option} needs a value`);
  return value;
}

function positiveInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new UsageError(`${option} takes a positive integer of milliseconds, got ${JSON.stringify(text)}`);
  return value;
}

/** Usage and syntax errors exit 2 (nothing was replayed); anything else is a bug and is rethrown. */
function reportError(error: unknown, io: CliIo, usage: string): number {
  if (error instanceof UsageError) {
    io.stderr.write(`codemode: ${error.message}\n${usage}\n`);
    return 2;
  }
  if (error instanceof TranscriptSyntaxError) {
    io.stderr.write(`codemode: ${error.message}\n`);
    return 2;
  }
  if (error instanceof Error && 'code' in error && error.code === 'ENOENT') {
    io.stderr.write(`codemode: ${error.message}\n`);
    return 2;
  }
  throw error;
}

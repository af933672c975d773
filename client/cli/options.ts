/** Command-line parsing on node:util's parseArgs, with its errors turned into one-line UsageErrors. */
import { parseArgs } from 'node:util';
import { firstLine, UsageError } from './usageError.js';

/** A parsed command line; every option takes a string value (`--help` is answered by the dispatcher). */
export interface CommandLine {
  options: Partial<Record<string, string>>;
  positionals: string[];
}

/** parseArgs, strict; a mistake throws UsageError. */
export function parseCommandLine(argv: readonly string[], stringOptions: readonly string[]): CommandLine {
  const config = Object.fromEntries(stringOptions.map((name) => [name, { type: 'string' as const }]));
  try {
    const { values, positionals } = parseArgs({
      args: [...argv],
      options: config,
      allowPositionals: true,
      strict: true,
    });
    return { options: values as Partial<Record<string, string>>, positionals };
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
}

/** The value of an option taking a positive integer (milliseconds), or undefined when absent. */
export function positiveInteger(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value <= 0) {
    throw new UsageError(`--${name} takes a positive integer of milliseconds, got ${JSON.stringify(text)}`);
  }
  return value;
}

/** parseArgs' messages run on with advice about `--`; keep what went wrong. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const quoted = /'([^']*)'/.exec(message ?? '')?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${quoted}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${JSON.stringify(quoted)}`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      // Its message goes on for lines of advice; the first says what is wrong.
      return firstLine(message ?? 'invalid option value').replace(/^Option/, 'option').replace(/\.$/, '');
    default:
      throw error;
  }
}

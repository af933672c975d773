/** Where a command prints whole lines: cell output on stdout, statuses and errors on stderr. */
import type { CliIo } from './context.js';

export interface LineOutput {
  out(line: string): void;
  err(line: string): void;
}

export function plainOutput(io: CliIo): LineOutput {
  return {
    out: (line) => void io.stdout.write(`${line}\n`),
    err: (line) => void io.stderr.write(`${line}\n`),
  };
}

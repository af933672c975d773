/** The texts a cell completes with when the host, not the cell's code, decides the error. */

export const cpuLimitError = (ms: number) => `cell exceeded its CPU time limit of ${ms} ms`;
export const wallLimitError = (ms: number) => `cell exceeded its wall time limit of ${ms} ms`;
export const heapLimitError = (mb: number) => `cell exceeded its heap limit of ${mb} MB`;

import { BOOTSTRAP_FILENAME } from './bootstrap.js';

/** isolated-vm appends the host's own frames after this line; the cell must not see them. */
const BOUNDARY_FRAME = /^\s*at \(<isolated-vm boundary>\)/;

/**
 * Text of an error that crossed out of the isolate (an unhandled rejection, a compile error):
 * its stack up to the isolate boundary without helper frames, or its string form.
 */
export function isolateErrorText(error: unknown): string {
  if (error instanceof Error && typeof error.stack === 'string') {
    const lines = error.stack.split('\n');
    const boundary = lines.findIndex((line) => BOUNDARY_FRAME.test(line));
    const cellLines = boundary === -1 ? lines : lines.slice(0, boundary);
    return cellLines.filter((line) => !line.includes(BOOTSTRAP_FILENAME)).join('\n');
  }
  return String(error);
}

/** The message of anything thrown on the host side. */
export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The one-line status of a cell's final observation, as `run` and `repl` print it on stderr. */
import type { CellResponse } from '../index.js';
import { firstLine } from './usageError.js';

/** `completed`, `failed: <first line of the error>`, `terminated`, or `missing: <why>`; undefined while it runs. */
export function statusLine(response: CellResponse): string | undefined {
  switch (response.status) {
    case 'yielded':
      return undefined;
    case 'completed':
      return response.error === null ? 'completed' : `failed: ${firstLine(response.error)}`;
    case 'terminated':
      return 'terminated';
    case 'missing':
      return `missing: ${response.error ?? `cell ${response.cellId} not found`}`;
  }
}

/** Whether the cell ended well: completed without an error. */
export function succeeded(response: CellResponse): boolean {
  return response.status === 'completed' && response.error === null;
}

/**
 * What a response hands over besides its own text: a cell's final result, or output drained from a
 * running cell's buffer. The cell counts it as given away when it produces the response, but only
 * the writer knows whether the response leaves the host: it may replace it with a -32031 error
 * (over maxMessageBytes alone, or in a batch's array). So such a response's result carries a
 * Handover, and the writer rules on it exactly once: `sent` when the response will be written as
 * it is, `refused` when an error replaces it, and the cell takes back what did not leave.
 *
 * The ruling comes as the response reaches the writer, in the promise reactions of the turn that
 * produced it, so before anything the host does after responses (`cell/closed`, which must say
 * whether a result is still pending). A response that never reaches the writer (its connection
 * was disposed: the process is exiting) is never ruled on, so nothing may wait for a ruling past
 * that turn.
 */

export interface Handover {
  /** The cell whose result or output it is, named in the error that replaces the response. */
  readonly cellId: string;
  /** A refused result stays pending; refused output stays buffered. */
  readonly what: 'result' | 'output';
  sent(): void;
  refused(): void;
}

const HANDOVER = Symbol('handover');

/** Tags a response's result with its handover; the tag is no part of the result's JSON. */
export function handingOver<T extends object>(result: T, handover: Handover): T {
  Object.defineProperty(result, HANDOVER, { value: handover });
  return result;
}

/** The handover a response's result carries, if any. */
export function handoverOf(result: unknown): Handover | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  return (result as { [HANDOVER]?: Handover })[HANDOVER];
}

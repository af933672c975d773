/**
 * A system that runs model-written code which calls host tools: ours, or a peer a user would pick
 * instead. Every system gets the same workloads, written once as the body of an async function
 * that calls `tools.echo(value)` (answers with its input) and `tools.blob({bytes})` (answers with
 * a string of that many bytes, built once per size); each system wraps the body in its own cell
 * syntax and returns the body's value as a string.
 */
import { blobOf } from '../benchClient.js';

export interface SystemSession {
  /** Runs `body` as one cell, awaits it, and returns what it returned, as text. */
  run(body: string): Promise<string>;
  /** Starts a cell that stays running, awaiting a tool call that is never answered, until `close`. */
  startRunning(): Promise<void>;
  /** Ends the session and whatever still runs in it. */
  close(): Promise<void>;
}

export interface PeerSystem {
  readonly name: string;
  /** Runs before any workload; whatever it loads is warm afterwards. */
  start(): Promise<void>;
  openSession(): Promise<SystemSession>;
  stop(): Promise<void>;
}

/** A tool that never answers, for the running-cell memory probe. */
export const NEVER_TOOL = 'never';

/**
 * An in-process peer's running cell: the peer reports each call of `never` with `called()`, and
 * `startRunning` starts a cell awaiting it and resolves once that call was made.
 */
export class NeverCall {
  private reached: () => void = () => {};

  called(): void {
    this.reached();
  }

  async startRunning(cell: (body: string) => Promise<string>): Promise<void> {
    const reached = new Promise<void>((resolve) => (this.reached = resolve));
    cell(`await tools.${NEVER_TOOL}(); return 0;`).catch(() => undefined);
    await reached;
  }
}

/**
 * The tools every system answers, in-process and at once; `never` answers with `pending()`, which
 * the session settles (or abandons) when it closes.
 */
export function answerTool(name: string, input: unknown, pending: () => Promise<unknown>): unknown {
  if (name === NEVER_TOOL) return pending();
  if (name === 'blob') return blobOf((input as { bytes: number }).bytes);
  return input;
}

/**
 * A request's cancellation token, for both ends' dispatchers and delegate calls.
 * vscode-jsonrpc's CancellationTokenSource builds a token, an emitter, a listener list and a
 * disposable for every request that is listened to: garbage that a burst of thousands of parallel
 * tool calls pays for on both sides, although a request is cancelled rarely and has one or two
 * listeners. Listeners added after the cancellation run on a later macrotask, as vscode-jsonrpc's
 * do.
 */
import type { CancellationToken, Disposable } from 'vscode-jsonrpc';

type Listener = () => void;

type TokenState = { kind: 'open'; listeners: Listener[] } | { kind: 'cancelled' } | { kind: 'released' };

const NOTHING: Disposable = { dispose() {} };

export class CancelToken implements CancellationToken {
  private state: TokenState = { kind: 'open', listeners: [] };

  get isCancellationRequested(): boolean {
    return this.state.kind === 'cancelled';
  }

  readonly onCancellationRequested = (listener: (event: unknown) => unknown, thisArgs?: unknown): Disposable => {
    const bound: Listener = () => void listener.call(thisArgs, undefined);
    const state = this.state;
    if (state.kind === 'cancelled') {
      const timer = setTimeout(bound, 0);
      return { dispose: () => clearTimeout(timer) };
    }
    if (state.kind === 'released') return NOTHING;
    state.listeners.push(bound);
    return {
      dispose: () => {
        const index = state.listeners.indexOf(bound);
        if (index >= 0) state.listeners.splice(index, 1);
      },
    };
  };

  /** Runs every listener once; later calls do nothing. */
  cancel(): void {
    const state = this.state;
    if (state.kind !== 'open') return;
    this.state = { kind: 'cancelled' };
    for (const listener of state.listeners) listener();
  }

  /** The request is over: it can no longer be cancelled, and its listeners are let go. */
  release(): void {
    if (this.state.kind === 'open') this.state = { kind: 'released' };
  }
}

/**
 * The cancellation token of one delegate call. vscode-jsonrpc's CancellationTokenSource builds an
 * emitter, a listener list and disposables for every call, garbage that thousands of parallel
 * tool calls pay for; a delegate call's token has one listener (the connection's
 * `$/cancelRequest`), registered when the request is sent.
 */
import type { CancellationToken, Disposable } from 'vscode-jsonrpc/node';

type TokenState = { kind: 'open'; listener: (() => void) | undefined } | { kind: 'cancelled' } | { kind: 'released' };

const NOTHING: Disposable = { dispose() {} };

export class CallToken implements CancellationToken {
  private state: TokenState = { kind: 'open', listener: undefined };

  get isCancellationRequested(): boolean {
    return this.state.kind === 'cancelled';
  }

  readonly onCancellationRequested = (listener: (event: unknown) => unknown, thisArgs?: unknown): Disposable => {
    const state = this.state;
    if (state.kind !== 'open') return NOTHING;
    const bound = (): void => void listener.call(thisArgs, undefined);
    const previous = state.listener;
    state.listener = previous === undefined ? bound : () => (previous(), bound());
    return NOTHING;
  };

  cancel(): void {
    const state = this.state;
    if (state.kind !== 'open') return;
    this.state = { kind: 'cancelled' };
    state.listener?.();
  }

  /** The call settled: nothing will be cancelled, so the listener and what it holds are let go. */
  release(): void {
    if (this.state.kind === 'open') this.state = { kind: 'released' };
  }
}

/**
 * A request's cancellation token, for both ends' dispatchers and delegate calls.
 * vscode-jsonrpc's CancellationTokenSource builds a token, an emitter, a listener list and a
 * disposable for every request that is listened to: garbage that a burst of thousands of parallel
 * tool calls pays for on both sides, although a request is cancelled rarely and has one or two
 * listeners. This one allocates the token and one object per listener, nothing more. Listeners
 * added after the cancellation run on a later macrotask, as vscode-jsonrpc's do.
 */
import type { CancellationToken, Disposable } from 'vscode-jsonrpc';

type Listener = (event: unknown) => unknown;

const NOTHING: Disposable = { dispose() {} };

/** One listener; disposing it removes it from its token. */
class Registration implements Disposable {
  constructor(
    private readonly token: CancelToken,
    private readonly listener: Listener,
    private readonly thisArgs: unknown,
  ) {}

  run(): void {
    this.listener.call(this.thisArgs, undefined);
  }

  dispose(): void {
    this.token.remove(this);
  }
}

export class CancelToken implements CancellationToken {
  private state: 'open' | 'cancelled' | 'released' = 'open';
  /** While open: the listeners, once there is one. */
  private listeners: Registration[] | undefined;

  get isCancellationRequested(): boolean {
    return this.state === 'cancelled';
  }

  onCancellationRequested(listener: Listener, thisArgs?: unknown): Disposable {
    if (this.state === 'cancelled') {
      const timer = setTimeout(() => void listener.call(thisArgs, undefined), 0);
      return { dispose: () => clearTimeout(timer) };
    }
    if (this.state === 'released') return NOTHING;
    const registration = new Registration(this, listener, thisArgs);
    (this.listeners ??= []).push(registration);
    return registration;
  }

  /** Runs every listener once; later calls do nothing. */
  cancel(): void {
    if (this.state !== 'open') return;
    this.state = 'cancelled';
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners !== undefined) for (const registration of listeners) registration.run();
  }

  /** The request is over: it can no longer be cancelled, and its listeners are let go. */
  release(): void {
    if (this.state !== 'open') return;
    this.state = 'released';
    this.listeners = undefined;
  }

  /** Forgets a listener (Registration.dispose). */
  remove(registration: Registration): void {
    const listeners = this.listeners;
    const index = listeners === undefined ? -1 : listeners.indexOf(registration);
    if (index >= 0) listeners!.splice(index, 1);
  }
}

import { AbortedError, TimeoutError, type CodeModeError } from './errors.js';

/** Per-call options: every public call takes them. */
export interface CallOptions {
  /** Aborting rejects the call with `ABORTED`. */
  signal?: AbortSignal;
  /** Rejects the call with `TIMEOUT` after this many milliseconds (covers host start and rebinding). */
  timeoutMs?: number;
}

/**
 * One call's cancellation: the caller's signal and deadline folded into a single AbortSignal whose
 * reason is the typed error the call rejects with. Dispose it when the call settles so the timer
 * does not outlive the call.
 */
export class CallScope {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    what: string,
    private readonly options: CallOptions = {},
  ) {
    this.signal = this.controller.signal;
    const callerSignal = options.signal;
    if (callerSignal?.aborted) {
      this.controller.abort(new AbortedError(what, callerSignal.reason));
    } else if (callerSignal) {
      this.onCallerAbort = () => this.controller.abort(new AbortedError(what, callerSignal.reason));
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    const timeoutMs = options.timeoutMs;
    if (timeoutMs !== undefined && !this.signal.aborted) {
      this.timer = setTimeout(() => this.controller.abort(new TimeoutError(what, timeoutMs)), timeoutMs);
    }
  }

  /** The typed error the call rejects with, once aborted. */
  get reason(): CodeModeError {
    return this.signal.reason as CodeModeError;
  }

  throwIfAborted(): void {
    if (this.signal.aborted) throw this.reason;
  }

  /**
   * `work`, unless the scope aborts first. `work` keeps running when it loses the race; its
   * eventual rejection is observed here so it never surfaces as unhandled.
   */
  race<T>(work: Promise<T>): Promise<T> {
    work.catch(() => undefined);
    if (this.signal.aborted) return Promise.reject(this.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(this.reason);
      this.signal.addEventListener('abort', onAbort, { once: true });
      work.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.onCallerAbort) this.options.signal?.removeEventListener('abort', this.onCallerAbort);
  }
}

/** Runs `body` inside a fresh scope and disposes the scope however `body` ends. */
export async function withScope<T>(
  what: string,
  options: CallOptions | undefined,
  body: (scope: CallScope) => Promise<T>,
): Promise<T> {
  const scope = new CallScope(what, options);
  try {
    scope.throwIfAborted();
    return await body(scope);
  } finally {
    scope.dispose();
  }
}

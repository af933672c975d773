import { AbortedError, TimeoutError, type CodeModeError } from './errors.js';

/** Per-call options: every public call takes them. */
export interface CallOptions {
  /** Aborting rejects the call with `ABORTED`. */
  signal?: AbortSignal;
  /** Rejects the call with `TIMEOUT` after this many milliseconds (covers host start and rebinding). */
  timeoutMs?: number;
}

/** The signal of every scope that cannot abort: shared, since nothing ever aborts it. */
const NEVER_ABORTED = new AbortController().signal;

/**
 * One call's cancellation: the caller's signal and deadline folded into a single AbortSignal whose
 * reason is the typed error the call rejects with. Dispose it when the call settles so the timer
 * does not outlive the call. A call with neither signal nor deadline cannot abort, and its scope
 * allocates nothing: no controller, no listener, no race.
 */
export class CallScope {
  readonly signal: AbortSignal;
  /** False when the call has neither signal nor deadline: `signal` then never aborts. */
  readonly abortable: boolean;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onCallerAbort: (() => void) | undefined;

  constructor(
    what: string,
    private readonly options: CallOptions = {},
  ) {
    const callerSignal = options.signal;
    const timeoutMs = options.timeoutMs;
    this.abortable = callerSignal !== undefined || timeoutMs !== undefined;
    if (!this.abortable) {
      this.signal = NEVER_ABORTED;
      return;
    }
    const controller = new AbortController();
    this.signal = controller.signal;
    if (callerSignal?.aborted) {
      controller.abort(new AbortedError(what, callerSignal.reason));
    } else if (callerSignal) {
      this.onCallerAbort = () => controller.abort(new AbortedError(what, callerSignal.reason));
      callerSignal.addEventListener('abort', this.onCallerAbort, { once: true });
    }
    if (timeoutMs !== undefined && !this.signal.aborted) {
      this.timer = setTimeout(() => controller.abort(new TimeoutError(what, timeoutMs)), timeoutMs);
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
    if (!this.abortable) return work;
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

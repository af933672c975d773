/**
 * Host-to-client requests (`delegate/invokeTool`, `delegate/notify`) on one connection, bounded by
 * maxPendingDelegateCalls. A call's outcome never rejects: failures are values, so a cell's
 * promise can never turn into an unhandled rejection in the host (isolated-vm issue 314).
 */
import { CancelToken } from '../../schemas/cancelToken.js';
import type { RequestSettler, RpcConnection } from '../../schemas/rpcDispatcher.js';
import { ResponseError } from '../jsonRpc.js';
import { validateResult, type HostRequestMethod, type MethodParams, type MethodResults } from '../../schemas/index.js';
import type { Logger } from '../log.js';

/** A call's outcome: the client's result, checked against the method's result schema, or why there is none. */
export type DelegateOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface DelegateCall<T> {
  readonly outcome: Promise<DelegateOutcome<T>>;
  /** Sends `$/cancelRequest` for the call; its outcome becomes a cancellation and a later answer is ignored. */
  cancel(reason: string): void;
}

export class DelegateChannel {
  private pending = 0;

  constructor(
    private readonly connection: Pick<RpcConnection, 'request'>,
    private readonly maxPending: number,
    private readonly logger: Logger,
  ) {}

  get pendingCount(): number {
    return this.pending;
  }

  /** maxPendingDelegateCalls: cells take at most a share of it, so others keep some. */
  get capacity(): number {
    return this.maxPending;
  }

  private readonly released = (): void => {
    this.pending--;
  };

  call<M extends HostRequestMethod>(method: M, params: MethodParams[M]): DelegateCall<MethodResults[M]> {
    if (this.pending >= this.maxPending) {
      const message = `the host already has ${this.maxPending} unanswered delegate calls (maxPendingDelegateCalls); this call was not sent`;
      return { outcome: Promise.resolve({ ok: false, message }), cancel: () => {} };
    }
    this.pending++;
    const call = new PendingCall<M>(method, this.logger, this.released);
    try {
      this.connection.request(method, params, call.token, call.answered);
    } catch (error) {
      // vscode-jsonrpc throws at once, instead of rejecting, once the connection is closed.
      call.settle({ ok: false, message: describeFailure(error) });
    }
    return call;
  }
}

/** One sent call: its outcome settles once, from the answer or the cancel, whichever comes first. */
class PendingCall<M extends HostRequestMethod> implements DelegateCall<MethodResults[M]> {
  readonly outcome: Promise<DelegateOutcome<MethodResults[M]>>;
  readonly token = new CancelToken();
  private resolve!: (outcome: DelegateOutcome<MethodResults[M]>) => void;
  private pending = true;

  constructor(
    private readonly method: M,
    private readonly logger: Logger,
    private readonly released: () => void,
  ) {
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
  }

  readonly answered: RequestSettler = (error, value) =>
    this.settle(error === undefined ? checked(this.method, value) : { ok: false, message: describeFailure(error) });

  settle(outcome: DelegateOutcome<MethodResults[M]>): void {
    if (!this.pending) return;
    this.pending = false;
    this.resolve(outcome);
    this.token.release();
    this.released();
  }

  cancel(reason: string): void {
    if (!this.pending) return;
    this.token.cancel();
    this.logger.debug(`${this.method} cancelled: ${reason}`);
    this.settle({ ok: false, message: reason });
  }
}

function checked<M extends HostRequestMethod>(method: M, value: unknown): DelegateOutcome<MethodResults[M]> {
  const validation = validateResult(method, value);
  if (validation.ok) return { ok: true, value: validation.value };
  const detail = validation.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
  return { ok: false, message: `the client answered ${method} with an invalid result: ${detail}` };
}

function describeFailure(error: unknown): string {
  if (error instanceof ResponseError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

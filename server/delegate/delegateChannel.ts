/**
 * Host-to-client requests (`delegate/invokeTool`, `delegate/notify`) on one connection, bounded by
 * maxPendingDelegateCalls. A call's outcome is a value handed to a callback, never a rejection, so
 * a cell's promise can never turn into an unhandled rejection in the host (isolated-vm issue 314);
 * a callback rather than a promise, since a burst of parallel tool calls pays for every promise.
 */
import type { RequestSettler, RpcConnection } from '../../schemas/rpcDispatcher.js';
import { ResponseError } from '../jsonRpc.js';
import { validateResult, type HostRequestMethod, type MethodParams, type MethodResults } from '../../schemas/index.js';
import type { Logger } from '../log.js';

/** A call's outcome: the client's result, checked against the method's result schema, or why there is none. */
export type DelegateOutcome<T> = { ok: true; value: T } | { ok: false; message: string };

export interface DelegateCall {
  /** Sends `$/cancelRequest` for the call; its outcome becomes a cancellation and a later answer is ignored. */
  cancel(reason: string): void;
}

export class DelegateChannel {
  private pending = 0;

  constructor(
    private readonly connection: Pick<RpcConnection, 'request' | 'cancelRequest'>,
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

  /** Sends the request; `settled` is called once with its outcome, never before `call` returns. */
  call<M extends HostRequestMethod>(method: M, params: MethodParams[M], settled: (outcome: DelegateOutcome<MethodResults[M]>) => void): DelegateCall {
    if (this.pending >= this.maxPending) {
      const message = `the host already has ${this.maxPending} unanswered delegate calls (maxPendingDelegateCalls); this call was not sent`;
      queueMicrotask(() => settled({ ok: false, message }));
      return NOT_SENT;
    }
    this.pending++;
    const call = new PendingCall<M>(method, settled, this.logger, this.released);
    try {
      call.sent(this.connection, this.connection.request(method, params, call));
    } catch (error) {
      // vscode-jsonrpc throws at once, instead of rejecting, once the connection is closed.
      call.conclude({ ok: false, message: describeFailure(error) });
      call.sent(this.connection, undefined);
    }
    return call;
  }
}

const NOT_SENT: DelegateCall = { cancel() {} };

/** One sent call: its outcome is settled once, by the answer or the cancel, whichever comes first. */
class PendingCall<M extends HostRequestMethod> implements DelegateCall, RequestSettler {
  private state: 'sending' | 'pending' | 'settled' = 'sending';
  /** Where and under which id the request went, once sent; undefined when it could not be. */
  private connection: Pick<RpcConnection, 'cancelRequest'> | undefined;
  private id = 0;
  /** An outcome that came while the call was being sent, handed over once it was. */
  private early: DelegateOutcome<MethodResults[M]> | undefined;

  constructor(
    private readonly method: M,
    private readonly onOutcome: (outcome: DelegateOutcome<MethodResults[M]>) => void,
    private readonly logger: Logger,
    private readonly released: () => void,
  ) {}

  settled(error: ResponseError<unknown> | undefined, value: unknown): void {
    this.conclude(error === undefined ? checked(this.method, value) : { ok: false, message: describeFailure(error) });
  }

  sent(connection: Pick<RpcConnection, 'cancelRequest'>, id: number | undefined): void {
    if (id !== undefined) {
      this.connection = connection;
      this.id = id;
    }
    if (this.state !== 'sending') return;
    const early = this.early;
    if (early === undefined) {
      this.state = 'pending';
      return;
    }
    this.early = undefined;
    this.state = 'settled';
    queueMicrotask(() => this.finish(early));
  }

  cancel(reason: string): void {
    if (this.state !== 'pending') return;
    this.connection?.cancelRequest(this.id);
    this.logger.debug(`${this.method} cancelled: ${reason}`);
    this.conclude({ ok: false, message: reason });
  }

  conclude(outcome: DelegateOutcome<MethodResults[M]>): void {
    if (this.state === 'sending') this.early ??= outcome;
    else if (this.state === 'pending') this.finish(outcome);
  }

  private finish(outcome: DelegateOutcome<MethodResults[M]>): void {
    this.state = 'settled';
    this.connection = undefined;
    this.released();
    this.onOutcome(outcome);
  }
}

function checked<M extends HostRequestMethod>(method: M, value: unknown): DelegateOutcome<MethodResults[M]> {
  const validation = validateResult(method, value);
  if (validation.ok) return validation;
  const detail = validation.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
  return { ok: false, message: `the client answered ${method} with an invalid result: ${detail}` };
}

function describeFailure(error: unknown): string {
  if (error instanceof ResponseError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

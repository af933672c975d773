/**
 * Host-to-client requests (`delegate/invokeTool`, `delegate/notify`) on one connection, bounded by
 * maxPendingDelegateCalls. A call's outcome never rejects: failures are values, so a cell's
 * promise can never turn into an unhandled rejection in the host (isolated-vm issue 314).
 */
import type { CancellationToken } from 'vscode-jsonrpc';
import { CancelToken } from '../../schemas/cancelToken.js';
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

type CallState<T> = { kind: 'pending'; token: CancelToken; settle: (o: DelegateOutcome<T>) => void } | { kind: 'settled' };

export class DelegateChannel {
  private pending = 0;

  constructor(
    private readonly connection: { sendRequest(method: string, params: object, token: CancellationToken): Promise<unknown> },
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

  call<M extends HostRequestMethod>(method: M, params: MethodParams[M]): DelegateCall<MethodResults[M]> {
    if (this.pending >= this.maxPending) {
      const message = `the host already has ${this.maxPending} unanswered delegate calls (maxPendingDelegateCalls); this call was not sent`;
      return { outcome: Promise.resolve({ ok: false, message }), cancel: () => {} };
    }
    this.pending++;
    const token = new CancelToken();
    let state: CallState<MethodResults[M]> = { kind: 'settled' };
    const outcome = new Promise<DelegateOutcome<MethodResults[M]>>((resolve) => {
      state = { kind: 'pending', token, settle: resolve };
    });
    const settle = (result: DelegateOutcome<MethodResults[M]>) => {
      if (state.kind !== 'pending') return;
      state.settle(result);
      state.token.release();
      state = { kind: 'settled' };
      this.pending--;
    };
    try {
      this.connection.sendRequest(method, params, token).then(
        (value: unknown) => settle(checked(method, value)),
        (error: unknown) => settle({ ok: false, message: describeFailure(error) }),
      );
    } catch (error) {
      // vscode-jsonrpc throws at once, instead of rejecting, once the connection is closed.
      settle({ ok: false, message: describeFailure(error) });
    }
    return {
      outcome,
      cancel: (reason) => {
        if (state.kind !== 'pending') return;
        state.token.cancel();
        this.logger.debug(`${method} cancelled: ${reason}`);
        settle({ ok: false, message: reason });
      },
    };
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

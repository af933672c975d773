/**
 * Host-to-client requests (`delegate/invokeTool`, `delegate/notify`) on one connection, bounded by
 * maxPendingDelegateCalls. A call's outcome never rejects: failures are values, so a cell's
 * promise can never turn into an unhandled rejection in the host (isolated-vm issue 314).
 */
import { CancellationTokenSource, ResponseError, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Logger } from '../log.js';

export type DelegateOutcome = { ok: true; value: unknown } | { ok: false; message: string };

export interface DelegateCall {
  readonly outcome: Promise<DelegateOutcome>;
  /** Sends `$/cancelRequest` for the call; its outcome becomes a cancellation and a later answer is ignored. */
  cancel(reason: string): void;
}

type CallState = { kind: 'pending'; source: CancellationTokenSource; settle: (o: DelegateOutcome) => void } | { kind: 'settled' };

export class DelegateChannel {
  private pending = 0;

  constructor(
    private readonly connection: Pick<MessageConnection, 'sendRequest'>,
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

  call(method: string, params: object): DelegateCall {
    if (this.pending >= this.maxPending) {
      const message = `the host already has ${this.maxPending} unanswered delegate calls (maxPendingDelegateCalls); this call was not sent`;
      return { outcome: Promise.resolve({ ok: false, message }), cancel: () => {} };
    }
    this.pending++;
    const source = new CancellationTokenSource();
    let state: CallState = { kind: 'settled' };
    const outcome = new Promise<DelegateOutcome>((resolve) => {
      state = { kind: 'pending', source, settle: resolve };
    });
    const settle = (result: DelegateOutcome) => {
      if (state.kind !== 'pending') return;
      state.settle(result);
      state.source.dispose();
      state = { kind: 'settled' };
      this.pending--;
    };
    try {
      this.connection.sendRequest(method, params, source.token).then(
        (value: unknown) => settle({ ok: true, value }),
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
        state.source.cancel();
        this.logger.debug(`${method} cancelled: ${reason}`);
        settle({ ok: false, message: reason });
      },
    };
  }
}

function describeFailure(error: unknown): string {
  if (error instanceof ResponseError) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}

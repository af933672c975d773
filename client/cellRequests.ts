import type { CancellationToken } from 'vscode-jsonrpc/node';
import { CancelToken } from '../schemas/cancelToken.js';
import {
  ErrorCode,
  Methods,
  type CellExecuteParams,
  type CellResponse,
  type CellWaitParams,
  type CellYieldResult,
  type MethodParams,
  type MethodResults,
} from '../schemas/index.js';
import type { CallScope } from './cancellation.js';
import { ProtocolViolation, type CellTracker, type ExecuteTicket } from './cellTracker.js';
import { RpcError, type ProtocolError } from './errors.js';
import { WaitGate } from './waitGate.js';

/** What cell requests need from their connection. */
export interface RequestChannel {
  readonly isReady: boolean;
  /** Refuses a request the connection cannot take. */
  checkRequest(): void;
  /** Sends a checked request; resolves with its validated result, or rejects with MessageTooLargeError if it is too large to send. */
  send<M extends keyof MethodResults>(method: M, params: MethodParams[M], token: CancellationToken | undefined): Promise<MethodResults[M]>;
  /** Kills the host for a protocol violation; returns the error for the call that saw it. */
  fail(violation: string): ProtocolError;
}

/**
 * The cell requests of one connection, with their cancellation rules (docs/client.md, guarantee 7) and the
 * checks that a response names the right cell.
 */
export class CellRequests {
  private readonly waitGate = new WaitGate();
  /** By host session: settles once the cell of its last aborted execute has been terminated. */
  private readonly stopping = new Map<string, Promise<void>>();

  constructor(
    private readonly channel: RequestChannel,
    private readonly tracker: CellTracker,
  ) {}

  /**
   * `cell/execute`. An abort sends `$/cancelRequest` and rejects at once; if the host started the
   * cell anyway, it is terminated so that no cell runs unobserved by mistake.
   */
  async execute(params: CellExecuteParams, scope: CallScope): Promise<CellResponse> {
    // Checked here too: an abort that already happened fires no listener, so nothing would cancel.
    scope.throwIfAborted();
    // The cell of an aborted execute of this session goes first: a persistent session runs one
    // cell at a time, and would otherwise refuse this one as busy with the client's own leftover.
    const stopping = this.stopping.get(params.sessionId);
    if (stopping !== undefined) await scope.race(stopping);
    this.channel.checkRequest();
    const ticket = this.tracker.executeSent(params.sessionId);
    const answered = observe(scope, (token) =>
      this.channel.send(Methods.cellExecute, params, token).then(
        (response) => {
          this.settleExecute(ticket, response.cellId);
          return response;
        },
        (error: unknown) => {
          this.settleExecute(ticket, cancelledCellId(error));
          throw error;
        },
      ),
    );
    try {
      return await scope.race(answered);
    } catch (error) {
      if (error === scope.reason) this.stop(params.sessionId, answered);
      throw error;
    }
  }

  /**
   * `cell/wait`. An abort sends `$/cancelRequest` and rejects at once; the next wait on the cell
   * is held back until the host has answered the cancelled one.
   */
  async wait(params: CellWaitParams, scope: CallScope): Promise<CellResponse> {
    const key = `${params.sessionId}\n${params.cellId}`;
    await this.waitGate.clear(key, scope);
    scope.throwIfAborted();
    this.channel.checkRequest();
    const answered = observe(scope, (token) =>
      this.channel.send(Methods.cellWait, params, token).then((response) => this.sameCell(Methods.cellWait, params.cellId, response)),
    );
    try {
      return await scope.race(answered);
    } catch (error) {
      if (error === scope.reason) this.waitGate.retire(key, answered);
      throw error;
    }
  }

  /** `cell/terminate`: never cancelled on the wire. */
  async terminate(hostSessionId: string, cellId: string): Promise<CellResponse> {
    const params = { sessionId: hostSessionId, cellId };
    this.channel.checkRequest();
    return this.sameCell(Methods.cellTerminate, cellId, await this.channel.send(Methods.cellTerminate, params, undefined));
  }

  yield(hostSessionId: string, cellId: string): Promise<CellYieldResult> {
    const params = { sessionId: hostSessionId, cellId };
    this.channel.checkRequest();
    return this.channel.send(Methods.cellYield, params, undefined);
  }

  private settleExecute(ticket: ExecuteTicket, cellId: string | undefined): void {
    try {
      this.tracker.executeAnswered(ticket, cellId);
    } catch (error) {
      if (error instanceof ProtocolViolation) throw this.channel.fail(error.message);
      throw error;
    }
  }

  private sameCell(method: string, cellId: string, response: CellResponse): CellResponse {
    if (response.cellId === cellId) return response;
    throw this.channel.fail(`code-mode host answered ${method} for cell ${cellId} with cell ${response.cellId}`);
  }

  private stop(hostSessionId: string, answered: Promise<CellResponse>): void {
    const stopped: Promise<void> = this.terminateAbandoned(hostSessionId, answered).finally(() => {
      if (this.stopping.get(hostSessionId) === stopped) this.stopping.delete(hostSessionId);
    });
    this.stopping.set(hostSessionId, stopped);
  }

  /** Never rejects. */
  private async terminateAbandoned(hostSessionId: string, answered: Promise<CellResponse>): Promise<void> {
    let cellId: string | undefined;
    try {
      const response = await answered;
      if (response.status === 'yielded') cellId = response.cellId;
    } catch (error) {
      cellId = cancelledCellId(error);
    }
    if (cellId === undefined || !this.channel.isReady) return;
    await this.terminate(hostSessionId, cellId).catch(() => undefined);
  }
}

/** Sends an observing request whose token is cancelled when `scope` aborts (no token when it cannot). */
function observe<T>(scope: CallScope, send: (token: CancellationToken | undefined) => Promise<T>): Promise<T> {
  if (!scope.abortable) return send(undefined);
  const token = new CancelToken();
  const cancel = () => token.cancel();
  scope.signal.addEventListener('abort', cancel, { once: true });
  return send(token).finally(() => {
    scope.signal.removeEventListener('abort', cancel);
    token.release();
  });
}

/** The cell a cancelled execute had started anyway (docs/protocol.md, Errors: RequestCancelled, `data.cellId`). */
function cancelledCellId(error: unknown): string | undefined {
  if (!(error instanceof RpcError) || error.rpcCode !== ErrorCode.RequestCancelled) return undefined;
  const cellId = (error.data as { cellId?: unknown } | null | undefined)?.cellId;
  return typeof cellId === 'string' ? cellId : undefined;
}

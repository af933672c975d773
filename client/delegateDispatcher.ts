import { ResponseError, type CancellationToken } from 'vscode-jsonrpc/node';
import {
  ErrorCode,
  Methods,
  validateParams,
  type CellOutputParams,
  type DelegateInvokeToolParams,
  type DelegateNotifyParams,
  type MethodParams,
  type SessionResetParams,
} from '../schemas/index.js';
import { ProtocolViolation, type CellTracker, type DelegateCall } from './cellTracker.js';
import type { Delegate } from './types.js';

/** Keeps the host's event-loop reference while work is in flight (see HostProcess.keepAlive). */
export interface KeepAlive {
  hold(): void;
  release(): void;
}

type HostRequestParams = DelegateInvokeToolParams | DelegateNotifyParams;
type HostRequestParamsMethod = typeof Methods.delegateInvokeTool | typeof Methods.delegateNotify;

/** What a delegate call runs, and the request's result made of what that returned. */
interface HostRequest<P> {
  invoke(delegate: Delegate, params: P, signal: AbortSignal): unknown;
  result(value: unknown): unknown;
}

const invokeTool: HostRequest<DelegateInvokeToolParams> = {
  invoke: (delegate, call, signal) => delegate.invokeTool(call, signal),
  // A result too large for the host, or not JSON, is replaced by an error the cell sees: the
  // writer does that (see FrameWriter), so the result is serialized only once.
  result: (value) => ({ result: value ?? null }),
};

const notify: HostRequest<DelegateNotifyParams> = {
  invoke: (delegate, note, signal) => delegate.notify?.(note, signal),
  result: () => null,
};

/**
 * Answers the host's requests and notifications on one connection: delegate calls run on the
 * owning session's delegate with public ids and an AbortSignal; `cell/closed` and `cell/output`
 * go through the cell tracker. Anything naming an unknown session or cell, or with params that
 * break the schema, is a protocol violation.
 */
export class DelegateDispatcher {
  constructor(
    private readonly tracker: CellTracker,
    private readonly onViolation: (violation: string) => void,
    private readonly keepAlive: KeepAlive,
  ) {}

  onRequest(method: string, params: unknown, token: CancellationToken): Promise<unknown> {
    if (method === Methods.delegateInvokeTool) return this.run(this.guardedParams(Methods.delegateInvokeTool, params), token, invokeTool);
    if (method === Methods.delegateNotify) return this.run(this.guardedParams(Methods.delegateNotify, params), token, notify);
    throw new ResponseError(ErrorCode.MethodNotFound, `the client does not handle ${method}`, { kind: 'MethodNotFound' });
  }

  onNotification(method: string, params: unknown): void {
    try {
      if (method === Methods.cellClosed) this.tracker.hostClosed(this.checked(Methods.cellClosed, params));
      else if (method === Methods.cellOutput) this.forwardOutput(this.checked(Methods.cellOutput, params));
      else if (method === Methods.sessionReset) this.forwardReset(this.checked(Methods.sessionReset, params));
    } catch (error) {
      if (!(error instanceof ProtocolViolation)) throw error;
      this.onViolation(error.message);
    }
  }

  /** Runs the delegate's method; resolves with the request's result. */
  private async run<P extends HostRequestParams>(params: P, token: CancellationToken, request: HostRequest<P>): Promise<unknown> {
    let call: DelegateCall;
    try {
      call = this.tracker.beginCall(params.sessionId, params.cellId);
    } catch (error) {
      throw this.violation(error);
    }
    const cancellation = token.onCancellationRequested(call.abort);
    this.keepAlive.hold();
    try {
      return request.result(await request.invoke(call.session.delegate, { ...params, sessionId: call.session.id, cellId: call.cellId }, call.signal));
    } catch (error) {
      // The cell's promise rejects with exactly this message.
      throw new ResponseError(ErrorCode.InternalError, error instanceof Error ? error.message : String(error), { kind: 'InternalError' });
    } finally {
      cancellation.dispose();
      call.end();
      this.keepAlive.release();
    }
  }

  private forwardOutput(params: CellOutputParams): void {
    const session = this.tracker.sessionForOutput(params.sessionId, params.cellId);
    try {
      session.delegate.cellOutput?.({ ...params, sessionId: session.id, cellId: session.publicCellId(params.cellId) });
    } catch {
      // A throwing output listener must not break the connection.
    }
  }

  private forwardReset(params: SessionResetParams): void {
    this.tracker.sessionNamed(params.sessionId).sessionReset(params.cellId, params.reason);
  }

  private checked<M extends keyof MethodParams>(method: M, params: unknown): MethodParams[M] {
    const validation = validateParams(method, params);
    if (validation.ok) return validation.value;
    const detail = validation.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    throw new ProtocolViolation(`code-mode host sent invalid ${method} params: ${detail}`);
  }

  /** The params, checked; a violation is reported, then thrown as an error response. */
  private guardedParams<M extends HostRequestParamsMethod>(method: M, params: unknown): MethodParams[M] {
    try {
      return this.checked(method, params);
    } catch (error) {
      throw this.violation(error);
    }
  }

  /** What to throw for `error`: a violation is reported and becomes an error response. */
  private violation(error: unknown): unknown {
    if (!(error instanceof ProtocolViolation)) return error;
    this.onViolation(error.message);
    return new ResponseError(ErrorCode.InvalidRequest, error.message, { kind: 'InvalidRequest' });
  }
}

import { ErrorCodes, ResponseError, type CancellationToken, type MessageReader, type MessageWriter } from 'vscode-jsonrpc/node';
import { Dispatcher } from '../schemas/rpcDispatcher.js';
import {
  DEFAULT_HOST_LIMITS,
  ErrorCode,
  Methods,
  validateResult,
  type HostLimits,
  type MethodParams,
  type MethodResults,
  type SessionOpenParams,
  type SessionOpenResult,
} from '../schemas/index.js';
import { CellRequests, type RequestChannel } from './cellRequests.js';
import { CellTracker } from './cellTracker.js';
import { DelegateDispatcher, type KeepAlive } from './delegateDispatcher.js';
import { CodeModeError, HostLostError, ProtocolError, RpcError, SessionClosedError } from './errors.js';
import { FrameReader } from './frameReader.js';
import { FrameWriter } from './frameWriter.js';
import type { HostCommand } from './hostCommand.js';
import { describeExit, HostProcess, type ExitInfo } from './hostProcess.js';
import type { BoundSession } from './types.js';
import { WireGuard } from './wireGuard.js';

export interface ConnectionOptions {
  command: HostCommand;
  onStderr: ((line: string) => void) | undefined;
  handshakeTimeoutMs: number;
  /** Ask the host to stream `cell/output`. */
  cellOutput: boolean;
  /** Each step of `stop()`'s escalation. */
  closeStepMs: number;
}

/** How a connection ended: its host was lost (with why), or the client closed it. */
export type ConnectionEnd = { kind: 'lost'; reason: string } | { kind: 'closed' };

type Phase = { kind: 'handshaking' } | { kind: 'ready' } | { kind: 'stopping' } | { kind: 'ended'; end: ConnectionEnd };

/** The codes of a request that got no answer because the transport failed. */
const TRANSPORT_CODES = new Set<number>([ErrorCodes.MessageWriteError, ErrorCodes.PendingResponseRejected, ErrorCodes.ConnectionInactive]);

/**
 * One host child and the JSON-RPC connection to it, from spawn to reaping. Any loss (exit,
 * signal, closed pipe, protocol violation, failed handshake) kills the child's group, and once it
 * has exited: disposes the dispatcher (which is what rejects its pending requests),
 * fails every call in flight with HOST_LOST naming the exit status or the violation, aborts every
 * delegate call and hands every live cell to durable cleanup. A connection is never revived.
 */
export class HostConnection implements KeepAlive, RequestChannel {
  /** Resolves once the child has exited and everything above was done. */
  readonly ended: Promise<ConnectionEnd>;
  /** execute, wait, terminate and yield on this connection. */
  readonly cells: CellRequests;
  private phase: Phase = { kind: 'handshaking' };
  private violation: string | undefined;
  private limits: HostLimits | undefined;
  private holds = 0;
  private readonly process: HostProcess;
  private readonly rpc: Dispatcher;
  private readonly reader: MessageReader;
  private readonly guardedWriter: MessageWriter;
  private readonly writer: FrameWriter;
  private readonly tracker = new CellTracker();

  /** Spawns a host and completes the handshake; a failed start leaves no child behind. */
  static async start(options: ConnectionOptions): Promise<HostConnection> {
    const connection = new HostConnection(options);
    await connection.handshake(options);
    return connection;
  }

  private constructor(options: ConnectionOptions) {
    this.process = new HostProcess(options.command, options.onStderr);
    const guard = new WireGuard((violation) => this.detectLoss(violation));
    this.reader = guard.guardReader(new FrameReader(this.process.stdout));
    // The writer enforces maxMessageBytes: requests over it are refused, responses replaced. The
    // host's stdin is a pipe, so a large frame's buffer serves the next once written.
    this.writer = new FrameWriter(this.process.stdin, () => this.maxMessageBytes, true);
    this.guardedWriter = guard.guardWriter(this.writer);
    // Messages are dispatched as they are read, so the answers of one read leave in one write.
    this.rpc = new Dispatcher(this.guardedWriter, SILENT, 'host');
    const dispatcher = new DelegateDispatcher(this.tracker, (violation) => this.detectLoss(violation), this);
    this.rpc.onRequest((method, params, token) => dispatcher.onRequest(method, params, token));
    this.rpc.onNotification((method, params) => dispatcher.onNotification(method, params));
    // Write errors and the end of stdout mean the host is going; its exit status says why.
    for (const end of [this.reader, this.guardedWriter]) {
      end.onError(() => this.detectLoss());
      end.onClose(() => this.detectLoss());
    }
    this.reader.listen(this.rpc.dispatch);
    this.cells = new CellRequests(this, this.tracker);
    this.ended = this.process.exited.then((info) => this.finish(info));
  }

  /** The host's process id while it runs. */
  get pid(): number | undefined {
    return this.process.pid;
  }

  /** Ready for calls: handshake done, not stopping, not lost. */
  get isReady(): boolean {
    return this.phase.kind === 'ready';
  }

  get maxMessageBytes(): number {
    return (this.limits ?? DEFAULT_HOST_LIMITS).maxMessageBytes;
  }

  openSession(params: SessionOpenParams): Promise<SessionOpenResult> {
    return this.call(Methods.sessionOpen, params);
  }

  /** Starts routing the host session's cells and delegate calls to `session`. */
  attach(session: BoundSession): void {
    this.tracker.attach(session);
  }

  /**
   * Closes a host session and stops tracking it. Never rejects: a lost host closes every cell by
   * itself, and a host that no longer knows the session has no cells left in it.
   */
  async closeSession(hostSessionId: string): Promise<void> {
    try {
      await this.call(Methods.sessionClose, { sessionId: hostSessionId });
    } catch (error) {
      // ShuttingDown: another close or the host's shutdown reports the cells; anything else
      // but an RPC error is a loss, whose cleanup reports them.
      if (!(error instanceof RpcError) || error.rpcCode === ErrorCode.ShuttingDown) return;
    }
    this.tracker.detach(hostSessionId);
  }

  /** Kills the host as lost, with `reason`; used when a caller detects a violation. */
  fail(reason: string): ProtocolError {
    this.detectLoss(reason);
    return new ProtocolError(reason);
  }

  /**
   * Stops the host for good: `shutdown` (the host closes every cell and reports it first), `exit`,
   * then stdin EOF, SIGTERM and SIGKILL, each after `closeStepMs`.
   */
  async stop(closeStepMs: number): Promise<void> {
    // Held for good: the escalation timers are unref'd, so the child must keep the loop alive.
    this.hold();
    if (this.phase.kind === 'ready') {
      // Sent before the phase changes, since a stopping connection refuses new requests.
      const reply = this.call(Methods.shutdown, undefined);
      this.phase = { kind: 'stopping' };
      await settledWithin(reply, closeStepMs);
      await settledWithin(this.notifyExit(), closeStepMs);
    } else if (this.phase.kind === 'handshaking') {
      this.phase = { kind: 'stopping' };
    }
    // Stdin's EOF must follow the frames already written (`exit` among them).
    this.writer.flush();
    await this.process.stop(closeStepMs);
    await this.ended;
  }

  hold(): void {
    if (this.holds++ === 0) this.process.keepAlive(true);
  }

  release(): void {
    if (--this.holds === 0) this.process.keepAlive(false);
  }

  private async handshake(options: ConnectionOptions): Promise<void> {
    this.hold();
    const timer = setTimeout(
      () => this.detectLoss(`code-mode host did not answer initialize within ${options.handshakeTimeoutMs} ms`),
      options.handshakeTimeoutMs,
    );
    try {
      const result = await this.call(Methods.initialize, {
        protocolVersion: 1,
        clientInfo: { name: 'codemode-host client' },
        capabilities: { cellOutput: options.cellOutput },
      });
      this.limits = result.limits;
      await this.rpc.sendNotification(Methods.initialized, {});
      if (this.phase.kind === 'handshaking') this.phase = { kind: 'ready' };
    } catch (error) {
      // Whatever failed, a half-started child must not survive it.
      this.detectLoss();
      const end = await this.ended;
      throw error instanceof CodeModeError ? error : endError(end);
    } finally {
      clearTimeout(timer);
      this.release();
    }
  }

  private async call<M extends keyof MethodResults>(method: M, params: MethodParams[M] | undefined): Promise<MethodResults[M]> {
    this.checkRequest();
    return this.send(method, params, undefined);
  }

  /**
   * Refuses a request on a connection that cannot take it. One too large to send is refused by
   * the writer, which serializes it anyway; `send` then rejects with MessageTooLargeError.
   */
  checkRequest(): void {
    if (this.phase.kind === 'ended') throw endError(this.phase.end);
    if (this.phase.kind === 'stopping') throw new SessionClosedError('The client');
  }

  /** Sends a checked request and validates its result; a result that breaks the schema is a violation. */
  async send<M extends keyof MethodResults>(
    method: M,
    params: MethodParams[M] | undefined,
    token: CancellationToken | undefined,
  ): Promise<MethodResults[M]> {
    this.hold();
    let result: unknown;
    try {
      result = await this.rpc.sendRequest(method, params, token);
    } catch (error) {
      throw await this.translate(error);
    } finally {
      this.release();
    }
    const validation = validateResult(method, result);
    if (validation.ok) return validation.value;
    const detail = validation.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ');
    throw this.fail(`code-mode host sent an invalid ${method} result: ${detail}`);
  }

  /**
   * An error response stays the host's; a request the writer refused (too large, not JSON) fails
   * with the writer's error and leaves the connection up; any other request that never got a
   * response fails with the loss.
   */
  private async translate(error: unknown): Promise<Error> {
    if (error instanceof ResponseError) {
      const refusal = error.code === ErrorCodes.MessageWriteError ? this.writer.takeRefusal(error.message) : undefined;
      if (refusal !== undefined) return refusal;
      if (!TRANSPORT_CODES.has(error.code)) return new RpcError(error.code, error.message, error.data);
    }
    // Wait for the exit, so the error names the exit status rather than the broken pipe.
    this.detectLoss();
    return endError(await this.ended);
  }

  private async notifyExit(): Promise<void> {
    try {
      await this.rpc.sendNotification(Methods.exit);
    } catch {
      // The host is already gone; stop() takes it from here.
    }
  }

  /** Starts the end of this connection: kill the group and let `finish` run on exit. */
  private detectLoss(violation?: string): void {
    if (this.phase.kind === 'ended') return;
    if (violation !== undefined) this.violation ??= violation;
    // While stopping, the escalation in stop() decides when to kill.
    if (this.phase.kind === 'stopping' && violation === undefined) return;
    this.process.kill();
  }

  private finish(info: ExitInfo): ConnectionEnd {
    const end: ConnectionEnd = this.phase.kind === 'stopping' ? { kind: 'closed' } : { kind: 'lost', reason: this.lossReason(info) };
    this.phase = { kind: 'ended', end };
    // Pending requests are rejected on dispose, not when the stream closes.
    this.rpc.dispose();
    this.reader.dispose();
    this.guardedWriter.dispose();
    this.tracker.failAll();
    return end;
  }

  private lossReason(info: ExitInfo): string {
    if (this.violation !== undefined) return this.violation;
    const during = this.phase.kind === 'handshaking' && info.kind === 'exited' ? ' during the handshake' : '';
    const crashed = info.kind === 'exited' && info.code !== null && info.code !== 0;
    const stderr = this.process.stderrText();
    return `code-mode host ${describeExit(info)}${during}${crashed && stderr !== '' ? ` (stderr: ${stderr})` : ''}`;
  }
}

/** The wire guard reports every violation the client acts on; nothing else is worth a log line. */
const SILENT = { error() {}, warn() {} };

function endError(end: ConnectionEnd): Error {
  return end.kind === 'lost' ? new HostLostError(end.reason) : new SessionClosedError('The client');
}

async function settledWithin(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([work.catch(() => undefined), new Promise((resolve) => (timer = setTimeout(resolve, ms).unref()))]);
  clearTimeout(timer);
}

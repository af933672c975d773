/**
 * The JSON-RPC dispatcher of both ends: each message read is dispatched at once, in arrival order,
 * so every message of one read runs in the same turn and the answers it produces leave in one
 * write (vscode-jsonrpc dispatches one message per setImmediate, and its maxParallelism lets
 * responses overtake requests). Because a request's handler has started before the next message
 * is looked at, input EOF or a fatal header is only acted upon after every message read before it
 * was dispatched.
 *
 * Handler results follow vscode-jsonrpc's conventions, which both ends' tests pin: `undefined`
 * is sent as `"result": null`, a thrown ResponseError as is, any other throw as -32603
 * "Request <m> failed with message: <msg>"; a request that cannot be written rejects with -32099,
 * and disposal rejects pending requests with -32097.
 */
// The common entry: the host does not load vscode-jsonrpc/node (server/jsonRpc.ts), and these two
// need no runtime.
import { ErrorCodes, ResponseError, type CancellationToken, type Message, type NotificationMessage, type RequestMessage, type ResponseMessage } from 'vscode-jsonrpc';
import { CancelToken } from './cancelToken.js';
import { WriteGroup } from './writeGroup.js';

/** Where a dispatcher reports what it could not deliver. */
export interface RpcLogger {
  error(message: string): void;
  warn(message: string): void;
}

/** Writes one message; settles once it was written (or refused). */
export interface RpcWriter {
  write(message: Message): Promise<void>;
}

export type StarRequestHandler = (method: string, params: unknown, token: CancellationToken) => unknown;
export type StarNotificationHandler = (method: string, params: unknown) => void;

/** What the rest of one end sees of the connection. */
export interface RpcConnection {
  onRequest(handler: StarRequestHandler): void;
  onNotification(handler: StarNotificationHandler): void;
  /** Never throws; rejects with a ResponseError (the peer's error, -32099 unsent, -32097 disposed). */
  sendRequest(method: string, params: object | undefined, token?: CancellationToken): Promise<unknown>;
  /**
   * `sendRequest` without a promise or a token: `settler.settled` is called once, with the result
   * or the ResponseError (synchronously when the connection is already disposed). Returns the
   * request's id for `cancelRequest`. For the host's bursts of delegate calls, which otherwise pay
   * for a promise, a token and their reactions per call on top of their own.
   */
  request(method: string, params: object | undefined, settler: RequestSettler): number;
  /** Sends `$/cancelRequest` for a request sent with `request`, unless it was answered already. */
  cancelRequest(id: number): void;
  sendNotification(method: string, params?: object): Promise<void>;
  /** Resolves once every request dispatched so far has had its response written. */
  answered(): Promise<void>;
  dispose(): void;
}

/** Settles a request sent with `request`: the peer's result, or the error and no result. */
export interface RequestSettler {
  settled(error: ResponseError<unknown> | undefined, result: unknown): void;
}

const CANCEL = '$/cancelRequest';

type ConnectionState = { kind: 'open' } | { kind: 'disposed' };

export class Dispatcher implements RpcConnection {
  private state: ConnectionState = { kind: 'open' };
  private requestHandler: StarRequestHandler = (method) => {
    throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
  };
  private notificationHandler: StarNotificationHandler = () => {};
  /** Client requests dispatched and not yet answered, by `String(id)` (as cancellation names them). */
  private readonly running = new Map<string, CancelToken>();
  private readonly pending = new Map<number, RequestSettler>();
  private readonly written = new WriteGroup<number>((ids, error) => this.failWrites(ids, error));
  private nextId = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly writer: RpcWriter,
    private readonly logger: RpcLogger,
    /** Who is at the other end, as log lines name it ("client" or "host"). */
    private readonly peer: string,
  ) {}

  onRequest(handler: StarRequestHandler): void {
    this.requestHandler = handler;
  }

  onNotification(handler: StarNotificationHandler): void {
    this.notificationHandler = handler;
  }

  /** One well-formed message; runs its handler's synchronous part before returning. */
  readonly dispatch = (message: Message): void => {
    if (this.state.kind === 'disposed') return;
    try {
      if ('method' in message && 'id' in message) this.handleRequest(message as RequestMessage);
      else if ('method' in message) this.handleNotification(message as NotificationMessage);
      else this.handleResponse(message as ResponseMessage);
    } catch (error) {
      this.logger.error(`Dispatching a message failed: ${describe(error)}`);
    }
  };

  sendRequest(method: string, params: object | undefined, token?: CancellationToken): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const id = this.request(method, params, { settled: (error, result) => (error === undefined ? resolve(result) : reject(error)) });
      token?.onCancellationRequested(() => this.cancelRequest(id));
    });
  }

  request(method: string, params: object | undefined, settler: RequestSettler): number {
    const id = this.nextId++;
    if (this.state.kind === 'disposed') {
      settler.settled(disposedError(), undefined);
      return id;
    }
    this.pending.set(id, settler);
    const written = this.writer.write((params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params }) as RequestMessage);
    this.written.add(written, id);
    return id;
  }

  /** The requests whose write failed reject with -32099, unless already answered. */
  private failWrites(ids: readonly number[], error: unknown): void {
    for (const id of ids) {
      const settler = this.pending.get(id);
      if (settler === undefined) continue;
      this.pending.delete(id);
      settler.settled(new ResponseError(ErrorCodes.MessageWriteError, describe(error)), undefined);
    }
  }

  cancelRequest(id: number): void {
    if (this.pending.has(id)) void this.sendNotification(CANCEL, { id }).catch(() => {});
  }

  sendNotification(method: string, params?: object): Promise<void> {
    if (this.state.kind === 'disposed') return Promise.reject(disposedError());
    const message: NotificationMessage = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
    return this.writer.write(message);
  }

  answered(): Promise<void> {
    if (this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  dispose(): void {
    if (this.state.kind === 'disposed') return;
    this.state = { kind: 'disposed' };
    for (const settler of this.pending.values()) settler.settled(disposedError(), undefined);
    this.pending.clear();
    for (const token of this.running.values()) token.release();
    this.running.clear();
    this.wakeIdle();
  }

  private handleRequest(request: RequestMessage): void {
    const id = request.id as string | number; // readers admit only string or number ids
    const key = String(id);
    const token = new CancelToken();
    this.running.set(key, token);
    let outcome: unknown;
    try {
      outcome = this.requestHandler(request.method, request.params, token);
    } catch (error) {
      this.reply(key, token, failure(id, request.method, error));
      return;
    }
    if (!(outcome instanceof Promise)) {
      this.reply(key, token, { jsonrpc: '2.0', id, result: outcome === undefined ? null : (outcome as ResponseMessage['result']) });
      return;
    }
    outcome.then(
      (result: unknown) => this.reply(key, token, { jsonrpc: '2.0', id, result: result === undefined ? null : result }),
      (error: unknown) => this.reply(key, token, failure(id, request.method, error)),
    );
  }

  private reply(key: string, token: CancelToken, response: ResponseMessage): void {
    if (this.state.kind === 'disposed') return;
    // The token goes before the write: once written, the peer may reuse the id.
    this.running.delete(key);
    token.release();
    void this.writer.write(response).catch(() => {}); // write failures are reported by the writer
    if (this.running.size === 0) this.wakeIdle();
  }

  private handleNotification(notification: NotificationMessage): void {
    if (notification.method === CANCEL) {
      const id = (notification.params as { id: string | number }).id; // checked by the reader
      this.running.get(String(id))?.cancel();
      return;
    }
    this.notificationHandler(notification.method, notification.params);
  }

  private handleResponse(response: ResponseMessage): void {
    if (typeof response.id !== 'number' || !this.pending.has(response.id)) {
      if (response.error) this.logger.warn(`The ${this.peer} sent an error without a request id: ${response.error.code} ${response.error.message}`);
      return;
    }
    const settler = this.pending.get(response.id)!;
    this.pending.delete(response.id);
    if (response.error) settler.settled(new ResponseError(response.error.code, response.error.message, response.error.data), undefined);
    else settler.settled(undefined, response.result);
  }

  private wakeIdle(): void {
    const waiting = this.idle;
    this.idle = [];
    for (const resolve of waiting) resolve();
  }
}

function failure(id: string | number, method: string, error: unknown): ResponseMessage {
  if (error instanceof ResponseError) return { jsonrpc: '2.0', id, error: error.toJson() };
  const message = error instanceof Error ? error.message : String(error);
  return { jsonrpc: '2.0', id, error: { code: ErrorCodes.InternalError, message: `Request ${method} failed with message: ${message}` } };
}

function disposedError(): ResponseError<unknown> {
  return new ResponseError(ErrorCodes.PendingResponseRejected, 'Pending response rejected since connection got disposed');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

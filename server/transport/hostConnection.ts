/**
 * The host's JSON-RPC dispatcher: what the gate forwards is dispatched at once, in arrival order,
 * so every message of one read runs in the same turn (vscode-jsonrpc dispatches one message per
 * setImmediate, and its maxParallelism lets responses overtake requests). Because a request's
 * handler has started before the next message is looked at, input EOF or a fatal header is only
 * acted upon after every message read before it was dispatched.
 *
 * Handler results follow vscode-jsonrpc's conventions, which the host's tests pin: `undefined`
 * is sent as `"result": null`, a thrown ResponseError as is, any other throw as -32603
 * "Request <m> failed with message: <msg>"; a request that cannot be written rejects with -32099,
 * and disposal rejects pending requests with -32097.
 */
import type { CancellationToken, Message, NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-jsonrpc';
import { CancellationTokenSource, ErrorCodes, ResponseError } from '../jsonRpc.js';
import type { Logger } from '../log.js';
import type { HostMessageWriter } from './messageWriter.js';

export type StarRequestHandler = (method: string, params: unknown, token: CancellationToken) => unknown;
export type StarNotificationHandler = (method: string, params: unknown) => void;

/** What the rest of the host sees of the connection. */
export interface HostConnection {
  onRequest(handler: StarRequestHandler): void;
  onNotification(handler: StarNotificationHandler): void;
  /** Never throws; rejects with a ResponseError (the client's error, -32099 unsent, -32097 disposed). */
  sendRequest(method: string, params: object, token?: CancellationToken): Promise<unknown>;
  sendNotification(method: string, params?: object): Promise<void>;
  /** Resolves once every request dispatched so far has had its response written. */
  answered(): Promise<void>;
  dispose(): void;
}

const CANCEL = '$/cancelRequest';

interface PendingRequest {
  method: string;
  resolve(value: unknown): void;
  reject(error: ResponseError<unknown>): void;
}

type ConnectionState = { kind: 'open' } | { kind: 'disposed' };

export class Dispatcher implements HostConnection {
  private state: ConnectionState = { kind: 'open' };
  private requestHandler: StarRequestHandler = (method) => {
    throw new ResponseError(ErrorCodes.MethodNotFound, `Unhandled method ${method}`);
  };
  private notificationHandler: StarNotificationHandler = () => {};
  /** Client requests dispatched and not yet answered, by `String(id)` (as cancellation names them). */
  private readonly running = new Map<string, CancellationTokenSource>();
  private readonly pending = new Map<number, PendingRequest>();
  private nextId = 0;
  private idle: (() => void)[] = [];

  constructor(
    private readonly writer: Pick<HostMessageWriter, 'write'>,
    private readonly logger: Logger,
  ) {}

  onRequest(handler: StarRequestHandler): void {
    this.requestHandler = handler;
  }

  onNotification(handler: StarNotificationHandler): void {
    this.notificationHandler = handler;
  }

  /** One message the gate let through; runs its handler's synchronous part before returning. */
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

  sendRequest(method: string, params: object, token?: CancellationToken): Promise<unknown> {
    if (this.state.kind === 'disposed') return Promise.reject(disposedError());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { method, resolve, reject });
      token?.onCancellationRequested(() => {
        if (this.pending.has(id)) void this.sendNotification(CANCEL, { id }).catch(() => {});
      });
      this.writer.write({ jsonrpc: '2.0', id, method, params } as RequestMessage).catch((error: unknown) => {
        if (!this.pending.delete(id)) return;
        reject(new ResponseError(ErrorCodes.MessageWriteError, describe(error)));
      });
    });
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
    for (const request of this.pending.values()) request.reject(disposedError());
    this.pending.clear();
    for (const source of this.running.values()) source.dispose();
    this.running.clear();
    this.wakeIdle();
  }

  private handleRequest(request: RequestMessage): void {
    const id = request.id as string | number; // the gate admits only string or number ids
    const key = String(id);
    const source = new CancellationTokenSource();
    this.running.set(key, source);
    let outcome: unknown;
    try {
      outcome = this.requestHandler(request.method, request.params, source.token);
    } catch (error) {
      this.reply(key, source, failure(id, request.method, error));
      return;
    }
    if (!(outcome instanceof Promise)) {
      this.reply(key, source, { jsonrpc: '2.0', id, result: outcome === undefined ? null : (outcome as ResponseMessage['result']) });
      return;
    }
    outcome.then(
      (result: unknown) => this.reply(key, source, { jsonrpc: '2.0', id, result: result === undefined ? null : result }),
      (error: unknown) => this.reply(key, source, failure(id, request.method, error)),
    );
  }

  private reply(key: string, source: CancellationTokenSource, response: ResponseMessage): void {
    if (this.state.kind === 'disposed') return;
    // The token goes before the write: once written, the client may reuse the id.
    this.running.delete(key);
    source.dispose();
    void this.writer.write(response).catch(() => {}); // write failures are reported by the writer
    if (this.running.size === 0) this.wakeIdle();
  }

  private handleNotification(notification: NotificationMessage): void {
    if (notification.method === CANCEL) {
      const id = (notification.params as { id: string | number }).id; // checked by the gate
      this.running.get(String(id))?.cancel();
      return;
    }
    this.notificationHandler(notification.method, notification.params);
  }

  private handleResponse(response: ResponseMessage): void {
    if (typeof response.id !== 'number' || !this.pending.has(response.id)) {
      if (response.error) this.logger.warn(`The client sent an error without a request id: ${response.error.code} ${response.error.message}`);
      return;
    }
    const request = this.pending.get(response.id)!;
    this.pending.delete(response.id);
    if (response.error) request.reject(new ResponseError(response.error.code, response.error.message, response.error.data));
    else request.resolve(response.result);
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

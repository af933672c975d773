/**
 * Binds a HostState to the host's connection: one star handler admits, validates and routes
 * every request, so no handler runs on params its schema rejects, and an unexpected throw
 * becomes InternalError while the host keeps serving.
 */
import { ResponseError } from './jsonRpc.js';
import { Methods } from '../schemas/index.js';
import { hostError } from './errors.js';
import { requestHandlers } from './handlers/requestHandlers.js';
import type { HostState } from './hostState.js';
import { admit } from './lifecycle.js';
import type { Logger } from './log.js';
import type { HostConnection } from './transport/hostTransport.js';

export interface ServeOptions {
  /** The `exit` notification: the process exits with this status after teardown. */
  onExit(status: 0 | 1): void;
  /** The `initialized` notification after a successful `initialize`: the handshake is done. */
  onInitialized(): void;
}

export function serveConnection(connection: HostConnection, host: HostState, logger: Logger, options: ServeOptions): void {
  const handlers = requestHandlers(host);

  const toResponseError = (method: string, error: unknown): ResponseError<unknown> => {
    if (error instanceof ResponseError) return error;
    logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return hostError.internal(method);
  };

  // Synchronous where the handler is: a request answered at once is written in arrival order.
  connection.onRequest((method, params, token) => {
    const receivedAt = performance.now();
    admit(host.lifecycle, method, method === Methods.initialize);
    const handler = handlers.get(method);
    if (handler === undefined) throw hostError.methodNotFound(method);
    let result: unknown;
    try {
      result = handler(params, token, receivedAt);
    } catch (error) {
      throw toResponseError(method, error);
    }
    return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(toResponseError(method, error))) : result;
  });

  connection.onNotification((method) => {
    // Before initialize every notification but exit is ignored; unknown ones always are.
    if (method === Methods.exit) options.onExit(host.lifecycle.kind === 'shutDown' ? 0 : 1);
    else if (method === Methods.initialized && host.lifecycle.kind === 'running') options.onInitialized();
  });
}

/**
 * Binds a HostState to a vscode-jsonrpc connection: one star handler admits, validates and routes
 * every request, so no handler runs on params its schema rejects, and an unexpected throw
 * becomes InternalError while the host keeps serving.
 */
import { ResponseError, type MessageConnection } from 'vscode-jsonrpc/node';
import { Methods } from '../schemas/index.js';
import { hostError } from './errors.js';
import { requestHandlers } from './handlers/requestHandlers.js';
import type { HostState } from './hostState.js';
import { admit } from './lifecycle.js';
import type { Logger } from './log.js';

export interface ServeOptions {
  /** The `exit` notification: the process exits with this status after teardown. */
  onExit(status: 0 | 1): void;
}

export function serveConnection(connection: MessageConnection, host: HostState, logger: Logger, options: ServeOptions): void {
  const handlers = requestHandlers(host);

  connection.onRequest(async (method, params, token) => {
    const receivedAt = performance.now();
    admit(host.lifecycle, method, method === Methods.initialize);
    const handler = handlers.get(method);
    if (handler === undefined) throw hostError.methodNotFound(method);
    try {
      return await handler(params, token, receivedAt);
    } catch (error) {
      if (error instanceof ResponseError) throw error;
      logger.error(`${method} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw hostError.internal(method);
    }
  });

  connection.onNotification((method) => {
    // Before initialize every notification but exit is ignored; unknown ones always are.
    if (method === Methods.exit) options.onExit(host.lifecycle.kind === 'shutDown' ? 0 : 1);
  });
}

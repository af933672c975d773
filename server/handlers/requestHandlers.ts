/**
 * The host's request methods, each a thin adapter from validated params to the session layer.
 */
import type { CancellationToken } from 'vscode-jsonrpc/node';
import type {
  CellExecuteParams,
  CellTerminateParams,
  CellWaitParams,
  CellYieldParams,
  InitializeParams,
  SessionCloseParams,
  SessionOpenParams,
} from '../../schemas/index.js';
import { Methods } from '../../schemas/index.js';
import type { HostState } from '../hostState.js';
import { initialize } from './initialize.js';

export type RequestHandler = (params: never, token: CancellationToken, receivedAt: number) => unknown;

export function requestHandlers(host: HostState): ReadonlyMap<string, RequestHandler> {
  const handlers: Array<[string, RequestHandler]> = [
    [Methods.initialize, (params: InitializeParams) => initialize(host, params)],
    [Methods.shutdown, () => host.shutdown()],
    [
      Methods.sessionOpen,
      (params: SessionOpenParams) => {
        const session = host.sessions.open(params.sessionId, params.limits, params.persistent ?? false);
        return { sessionId: session.id, limits: session.limits, persistent: session.persistent };
      },
    ],
    [
      Methods.sessionClose,
      async (params: SessionCloseParams) => {
        await host.sessions.close(params.sessionId);
        return { sessionId: params.sessionId };
      },
    ],
    [
      Methods.cellExecute,
      (params: CellExecuteParams, token, receivedAt) => host.sessions.get(params.sessionId).execute(params, token, receivedAt),
    ],
    [Methods.cellWait, (params: CellWaitParams, token, receivedAt) => host.sessions.get(params.sessionId).wait(params, token, receivedAt)],
    [
      Methods.cellTerminate,
      (params: CellTerminateParams, _token, receivedAt) => host.sessions.get(params.sessionId).terminate(params, receivedAt),
    ],
    [Methods.cellYield, (params: CellYieldParams) => host.sessions.get(params.sessionId).yield(params)],
  ];
  return new Map(handlers);
}

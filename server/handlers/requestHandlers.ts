/**
 * The host's request methods, each a thin adapter from validated params to the session layer.
 * The table is typed from the method table: a missing handler, or one whose params or result
 * break its method's schema types, fails to compile.
 */
import type { CancellationToken } from 'vscode-jsonrpc/node';
import type { ClientRequestMethod, MethodParams, MethodResults } from '../../schemas/index.js';
import { Methods, validateParams } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import type { HostState } from '../hostState.js';
import { initialize } from './initialize.js';

/** The handler of request `M`: its params are validated before it runs. */
export type RequestHandler<M extends ClientRequestMethod> = (
  params: MethodParams[M],
  token: CancellationToken,
  receivedAt: number,
) => MethodResults[M] | Promise<MethodResults[M]>;

export type RequestHandlers = { readonly [M in ClientRequestMethod]: RequestHandler<M> };

/** A handler behind its method's params validation, for a dispatcher that only knows the method's name. */
export type ValidatingHandler = (params: unknown, token: CancellationToken, receivedAt: number) => unknown;

export function requestHandlers(host: HostState): ReadonlyMap<string, ValidatingHandler> {
  const handlers: RequestHandlers = {
    [Methods.initialize]: (params) => initialize(host, params),
    [Methods.shutdown]: () => host.shutdown(),
    [Methods.sessionOpen]: (params) => {
      const session = host.sessions.open(params.sessionId, params.limits, params.persistent ?? false);
      return { sessionId: session.id, limits: session.limits, persistent: session.persistent };
    },
    [Methods.sessionClose]: async (params) => {
      await host.sessions.close(params.sessionId);
      return { sessionId: params.sessionId };
    },
    [Methods.cellExecute]: (params, token, receivedAt) => host.sessions.get(params.sessionId).execute(params, token, receivedAt),
    [Methods.cellWait]: (params, token, receivedAt) => host.sessions.get(params.sessionId).wait(params, token, receivedAt),
    [Methods.cellTerminate]: (params, _token, receivedAt) => host.sessions.get(params.sessionId).terminate(params, receivedAt),
    [Methods.cellYield]: (params) => host.sessions.get(params.sessionId).yield(params),
  };
  const methods = Object.keys(handlers) as ClientRequestMethod[];
  return new Map(methods.map((method) => [method, validating(handlers, method)]));
}

/** `handlers[method]` behind the validation of its params: an invalid one is answered -32602. */
function validating<M extends ClientRequestMethod>(handlers: RequestHandlers, method: M): ValidatingHandler {
  const handler: RequestHandler<M> = handlers[method];
  return (params, token, receivedAt) => {
    const checked = validateParams(method, params);
    if (!checked.ok) throw hostError.invalidParams(method, checked.errors);
    return handler(checked.value, token, receivedAt);
  };
}

/**
 * The method table: every method of the protocol, who sends it and whether it expects a response.
 * Code elsewhere names a method through `Methods` so no method string is written twice.
 */

/** Every method name, by a camelCase key. */
export const Methods = {
  initialize: 'initialize',
  initialized: 'initialized',
  shutdown: 'shutdown',
  exit: 'exit',
  cancelRequest: '$/cancelRequest',
  sessionOpen: 'session/open',
  sessionClose: 'session/close',
  sessionReset: 'session/reset',
  cellExecute: 'cell/execute',
  cellWait: 'cell/wait',
  cellTerminate: 'cell/terminate',
  cellYield: 'cell/yield',
  cellClosed: 'cell/closed',
  cellOutput: 'cell/output',
  delegateInvokeTool: 'delegate/invokeTool',
  delegateNotify: 'delegate/notify',
} as const;

export type MethodName = (typeof Methods)[keyof typeof Methods];

/** Who sends the method. `$/cancelRequest` goes both ways: the client cancels its observers, the host its delegate calls. */
export type Direction = 'clientToHost' | 'hostToClient' | 'both';

/**
 * A request expects a response and has a result schema; a notification has none. Every method
 * has a params schema, the no-params ones an empty object's.
 */
export type MethodKind = 'request' | 'notification';

export interface MethodInfo {
  readonly direction: Direction;
  readonly kind: MethodKind;
}

export const MethodTable = {
  [Methods.initialize]: { direction: 'clientToHost', kind: 'request' },
  [Methods.initialized]: { direction: 'clientToHost', kind: 'notification' },
  [Methods.shutdown]: { direction: 'clientToHost', kind: 'request' },
  [Methods.exit]: { direction: 'clientToHost', kind: 'notification' },
  [Methods.cancelRequest]: { direction: 'both', kind: 'notification' },
  [Methods.sessionOpen]: { direction: 'clientToHost', kind: 'request' },
  [Methods.sessionClose]: { direction: 'clientToHost', kind: 'request' },
  [Methods.sessionReset]: { direction: 'hostToClient', kind: 'notification' },
  [Methods.cellExecute]: { direction: 'clientToHost', kind: 'request' },
  [Methods.cellWait]: { direction: 'clientToHost', kind: 'request' },
  [Methods.cellTerminate]: { direction: 'clientToHost', kind: 'request' },
  [Methods.cellYield]: { direction: 'clientToHost', kind: 'request' },
  [Methods.cellClosed]: { direction: 'hostToClient', kind: 'notification' },
  [Methods.cellOutput]: { direction: 'hostToClient', kind: 'notification' },
  [Methods.delegateInvokeTool]: { direction: 'hostToClient', kind: 'request' },
  [Methods.delegateNotify]: { direction: 'hostToClient', kind: 'request' },
} as const satisfies Readonly<Record<MethodName, MethodInfo>>;

/** The requests that `direction` may send, read off the table so a new method is typed by its row alone. */
type RequestsFrom<D extends Direction> = {
  [M in MethodName]: (typeof MethodTable)[M] extends { kind: 'request'; direction: D | 'both' } ? M : never;
}[MethodName];

/** Requests the host handles: each needs a handler in the host's table. */
export type ClientRequestMethod = RequestsFrom<'clientToHost'>;

/** Requests the host sends to the client (delegate calls). */
export type HostRequestMethod = RequestsFrom<'hostToClient'>;

export function isMethodName(method: string): method is MethodName {
  return Object.hasOwn(MethodTable, method);
}

/**
 * The stem of the method's schema files and fixture folders: `/` becomes `.`, so `session/open`
 * has `schemas/methods/session.open.params.json` and `$/cancelRequest` has `$.cancelRequest.params.json`.
 */
export function schemaStem(method: MethodName): string {
  return method.replaceAll('/', '.');
}

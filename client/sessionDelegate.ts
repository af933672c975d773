import type { Delegate, SessionDelegate } from './types.js';

/**
 * A session's delegate: each member the session defines overrides the client's, member by
 * member. Calls go through the original objects so methods keep their `this`.
 */
export function sessionDelegate(client: Delegate, session: SessionDelegate | undefined): Delegate {
  if (session === undefined) return client;
  const pick = <K extends keyof Delegate>(key: K): Delegate => (session[key] !== undefined ? (session as Delegate) : client);
  return {
    invokeTool: (call, signal) => pick('invokeTool').invokeTool(call, signal),
    notify: (note, signal) => pick('notify').notify?.(note, signal),
    cellClosed: (event) => pick('cellClosed').cellClosed?.(event),
    cellOutput: (event) => pick('cellOutput').cellOutput?.(event),
  };
}

/**
 * The ordering groups of host messages. A message concerns one cell, one session, or the whole
 * connection; two messages are ordered when one group contains the other (the connection contains
 * every session, a session its cells). Unrelated cells and sessions interleave freely.
 */
import { isObject, type Json } from './json.js';

export interface Group {
  sessionId?: string;
  cellId?: string;
}

export const CONNECTION: Group = {};

export function sameGroup(a: Group, b: Group): boolean {
  return a.sessionId === b.sessionId && a.cellId === b.cellId;
}

export function related(a: Group, b: Group): boolean {
  if (a.sessionId === undefined || b.sessionId === undefined) return true;
  if (a.sessionId !== b.sessionId) return false;
  return a.cellId === undefined || b.cellId === undefined || a.cellId === b.cellId;
}

export function describeGroup(group: Group): string {
  if (group.sessionId === undefined) return 'the connection';
  return group.cellId === undefined ? `session ${group.sessionId}` : `cell ${group.sessionId}/${group.cellId}`;
}

/** What a group is computed from, besides the message itself. */
export interface GroupContext {
  /** The request the client sent (last) with this id, to attribute a response to. */
  clientRequest(id: Json): { method: string; params: Json | undefined } | undefined;
  /** The group of the host request with this id, to attribute `$/cancelRequest` to. */
  hostRequestGroup(id: Json): Group | undefined;
}

/** The group of one host message (a batch concerns the connection). */
export function groupOf(message: Json, context: GroupContext): Group {
  if (!isObject(message)) return CONNECTION;
  const params = isObject(message.params) ? message.params : {};
  if (typeof message.method === 'string') {
    if (message.method === '$/cancelRequest') return context.hostRequestGroup(params.id ?? null) ?? CONNECTION;
    return cellGroup(params.sessionId, params.cellId);
  }
  const request = context.clientRequest(message.id ?? null);
  if (request === undefined || !isObject(request.params)) return CONNECTION;
  const { sessionId, cellId } = request.params;
  if (typeof sessionId !== 'string') return CONNECTION;
  if (typeof cellId === 'string') return { sessionId, cellId };
  // cell/execute names its cell only in the answer: the result, or a -32800 error's data.
  const answer = isObject(message.result) ? message.result : isObject(message.error) && isObject(message.error.data) ? message.error.data : {};
  return cellGroup(sessionId, answer.cellId);
}

function cellGroup(sessionId: Json | undefined, cellId: Json | undefined): Group {
  if (typeof sessionId !== 'string') return CONNECTION;
  return typeof cellId === 'string' ? { sessionId, cellId } : { sessionId };
}

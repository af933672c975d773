/**
 * Which host messages must keep their recorded order (docs/protocol.md, Ordering):
 *
 * - a host request or notification belongs to the cell (or session, or connection) its params
 *   name; `$/cancelRequest` to the cell of the request it cancels. Messages of one cell keep
 *   their order (delegate requests in call order, every cancellation before `cell/closed`);
 * - a response is identified by its id: responses with one id keep their order, and are otherwise
 *   unordered, because requests run concurrently (8.1);
 * - the responses to `session/close` and `shutdown` are barriers: every message of their scope
 *   (the session, or everything) keeps its place before or after them (8.3).
 */
import { isObject, type Json } from './json.js';

export interface Group {
  /** Messages with the same key keep their order. */
  key: string;
  /** The session the message concerns; undefined for the connection as a whole. */
  sessionId?: string;
  /** A session/close response (covers its session) or a shutdown response (covers everything). */
  barrier: boolean;
  /** For messages: `cell s/1`, `session s`, `response id 3`, `the connection`. */
  label: string;
}

const CONNECTION: Group = { key: 'connection', barrier: false, label: 'the connection' };
const BARRIERS: Record<string, (params: { [key: string]: Json }) => string | undefined> = {
  'session/close': (params) => (typeof params.sessionId === 'string' ? params.sessionId : undefined),
  shutdown: () => undefined,
};

export function sameGroup(a: Group, b: Group): boolean {
  return a.key === b.key;
}

/** Whether the relative order of two messages is checked. */
export function ordered(a: Group, b: Group): boolean {
  return sameGroup(a, b) || (a.barrier && covers(a, b)) || (b.barrier && covers(b, a));
}

function covers(barrier: Group, other: Group): boolean {
  return barrier.sessionId === undefined || barrier.sessionId === other.sessionId;
}

/** What a group is computed from, besides the message itself. */
export interface GroupContext {
  /** The request the client sent (last) with this id, to attribute a response to. */
  clientRequest(id: Json): { method: string; params: Json | undefined } | undefined;
  /** The group of the host request with this id, to attribute `$/cancelRequest` to. */
  hostRequestGroup(id: Json): Group | undefined;
}

/** The group of one host message (a batch response concerns the connection). */
export function groupOf(message: Json, context: GroupContext): Group {
  if (!isObject(message)) return CONNECTION;
  const params = isObject(message.params) ? message.params : {};
  if (typeof message.method === 'string') {
    if (message.method === '$/cancelRequest') return context.hostRequestGroup(params.id ?? null) ?? CONNECTION;
    return placeOf(params.sessionId, params.cellId);
  }
  const id = JSON.stringify(message.id ?? null);
  const request = context.clientRequest(message.id ?? null);
  const requestParams = isObject(request?.params) ? request.params : {};
  const barrier = request === undefined ? undefined : BARRIERS[request.method];
  const sessionId = barrier !== undefined ? barrier(requestParams) : typeof requestParams.sessionId === 'string' ? requestParams.sessionId : undefined;
  return { key: `response ${id}`, sessionId, barrier: barrier !== undefined, label: `response id ${id}` };
}

function placeOf(sessionId: Json | undefined, cellId: Json | undefined): Group {
  if (typeof sessionId !== 'string') return CONNECTION;
  if (typeof cellId !== 'string') return { key: `session ${sessionId}`, sessionId, barrier: false, label: `session ${sessionId}` };
  return { key: `cell ${sessionId}/${cellId}`, sessionId, barrier: false, label: `cell ${sessionId}/${cellId}` };
}

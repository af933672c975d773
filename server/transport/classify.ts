/**
 * Decides what one parsed JSON value is under JSON-RPC 2.0. vscode-jsonrpc checks none of this
 * (it answers a missing `jsonrpc`, drops `id: null` silently), so the gate relies on this alone.
 *
 * Responses are judged leniently where the meaning is unambiguous (no `jsonrpc`, `"error": null`
 * next to a result, `"result": null` next to an error), because a response that names a pending
 * host request must settle it either way: see `malformedResponse`.
 */
import type { NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-jsonrpc/node';
import type { JsonRpcId } from './errorResponses.js';

export type Classified =
  | { kind: 'request'; message: RequestMessage & { id: JsonRpcId } }
  | { kind: 'notification'; message: NotificationMessage }
  | { kind: 'response'; message: ResponseMessage & { id: JsonRpcId | null } }
  /** A response-shaped message that is not a valid response; `reason` says what is wrong. */
  | { kind: 'malformedResponse'; id: JsonRpcId | null; reason: string }
  /** `id` is what an error reply echoes: the value's id when it can be echoed exactly. */
  | { kind: 'invalid'; id: JsonRpcId | null; reason: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A string, or a number that survives a parse and a stringify unchanged: `1e400` parses to
 * Infinity and 18446744073709551616 to 18446744073709552000, so neither could be echoed.
 */
const isId = (value: unknown): value is JsonRpcId => typeof value === 'string' || Number.isSafeInteger(value);

const UNSAFE_ID = 'a number "id" must be a safe integer (at most 2^53-1 in magnitude), so that its answer can carry it exactly; use a smaller integer or a string';

// The reasons are built only on the invalid paths: a burst of tool calls classifies thousands of
// messages a turn, so the valid path allocates nothing but the message it passes on.
export function classify(value: unknown): Classified {
  if (!isObject(value)) return { kind: 'invalid', id: null, reason: 'the message is not a JSON object' };
  const echo = isId(value.id) ? value.id : null;
  if (typeof value.id === 'number' && echo === null) return invalid(echo, UNSAFE_ID);
  if ('method' in value) {
    if (value.jsonrpc !== '2.0') return invalid(echo, '"jsonrpc" must be "2.0"');
    return classifyCall(value, echo);
  }
  if (!('id' in value)) return invalid(echo, value.jsonrpc === '2.0' ? 'the message has neither "method" nor "id"' : '"jsonrpc" must be "2.0"');
  if (value.id !== null && echo === null) return invalid(echo, 'a response "id" must be a string, a number or null');
  return classifyResponse(value, echo);
}

function invalid(id: JsonRpcId | null, reason: string): Classified {
  return { kind: 'invalid', id, reason };
}

function malformed(id: JsonRpcId | null, reason: string): Classified {
  return { kind: 'malformedResponse', id, reason };
}

function classifyCall(value: JsonObject, echo: JsonRpcId | null): Classified {
  const { id, method } = value;
  if (typeof method !== 'string') return invalid(echo, '"method" must be a string');
  // `"params": null` counts as absent (docs/protocol.md), so it is not passed on.
  const params = value.params ?? undefined;
  if (params !== undefined && typeof params !== 'object') return invalid(echo, '"params" must be an object or an array');
  const call = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params: params as object };
  if (!('id' in value)) return { kind: 'notification', message: call };
  // A request with `id: null` could never be answered distinctly from a parse error.
  if (!isId(id)) return invalid(echo, 'a request "id" must be a string or a number');
  return { kind: 'request', message: { ...call, id } };
}

function classifyResponse(value: JsonObject, id: JsonRpcId | null): Classified {
  if ('jsonrpc' in value && value.jsonrpc !== '2.0') return malformed(id, '"jsonrpc" must be "2.0"');
  const error = value.error ?? undefined;
  const result = value.result;
  if (error === undefined) {
    if (!('result' in value)) return malformed(id, 'a response needs exactly one of "result" and "error"');
    return { kind: 'response', message: { jsonrpc: '2.0', id, result: result as ResponseMessage['result'] } };
  }
  if (result !== undefined && result !== null) return malformed(id, 'a response needs exactly one of "result" and "error"');
  if (!isObject(error) || !Number.isInteger(error.code) || typeof error.message !== 'string') {
    return malformed(id, `"error" must be an object with an integer "code" and a string "message" (got ${JSON.stringify(error).slice(0, 200)})`);
  }
  const literal = { code: error.code as number, message: error.message, ...('data' in error ? { data: error.data as object | null } : {}) };
  return { kind: 'response', message: { jsonrpc: '2.0', id, error: literal } };
}

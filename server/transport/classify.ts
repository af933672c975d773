/**
 * Decides what one parsed JSON value is under JSON-RPC 2.0. vscode-jsonrpc checks none of this
 * (it answers a missing `jsonrpc`, drops `id: null` silently), so the gate relies on this alone.
 */
import type { NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-jsonrpc/node';
import type { JsonRpcId } from './errorResponses.js';

export type Classified =
  | { kind: 'request'; message: RequestMessage & { id: JsonRpcId } }
  | { kind: 'notification'; message: NotificationMessage }
  | { kind: 'response'; message: ResponseMessage }
  /** `id` is what an error reply echoes: the value's id when it is a string or number. */
  | { kind: 'invalid'; id: JsonRpcId | null; reason: string };

type JsonObject = Record<string, unknown>;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);
const isId = (value: unknown): value is JsonRpcId => typeof value === 'string' || typeof value === 'number';

export function classify(value: unknown): Classified {
  if (!isObject(value)) return { kind: 'invalid', id: null, reason: 'the message is not a JSON object' };
  const echo = isId(value.id) ? value.id : null;
  const invalid = (reason: string): Classified => ({ kind: 'invalid', id: echo, reason });
  if (value.jsonrpc !== '2.0') return invalid('"jsonrpc" must be "2.0"');
  if ('method' in value) return classifyCall(value, invalid);
  return classifyResponse(value, invalid);
}

function classifyCall(value: JsonObject, invalid: (reason: string) => Classified): Classified {
  const { id, method } = value;
  if (typeof method !== 'string') return invalid('"method" must be a string');
  // `"params": null` counts as absent (PROTOCOL.md section 1), so it is not passed on.
  const params = value.params ?? undefined;
  if (params !== undefined && typeof params !== 'object') return invalid('"params" must be an object or an array');
  const call = params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params: params as object };
  if (!('id' in value)) return { kind: 'notification', message: call };
  // A request with `id: null` could never be answered distinctly from a parse error.
  if (!isId(id)) return invalid('a request "id" must be a string or a number');
  return { kind: 'request', message: { ...call, id } };
}

function classifyResponse(value: JsonObject, invalid: (reason: string) => Classified): Classified {
  if (!('id' in value)) return invalid('the message has neither "method" nor "id"');
  if (!isId(value.id) && value.id !== null) return invalid('a response "id" must be a string, a number or null');
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (hasResult === hasError) return invalid('a response needs exactly one of "result" and "error"');
  if (hasError) {
    const error = value.error;
    if (!isObject(error) || !Number.isInteger(error.code) || typeof error.message !== 'string') {
      return invalid('a response "error" must be an object with an integer "code" and a string "message"');
    }
  }
  return { kind: 'response', message: value as unknown as ResponseMessage };
}

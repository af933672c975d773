/**
 * The JSON text of a delegate response, as `JSON.stringify` writes it, quicker when the tool's
 * result is one long string. Stringifying a 16 MiB string checks and copies it character by
 * character (the costliest pass of a large tool result: about ten times a regular expression's
 * scan on Node 24); a string with nothing to escape is the same text between two quotes, so one
 * scan for anything JSON escapes decides whether the string can be used as it is. The text is
 * returned in parts, the string itself untouched (see JsonText).
 */
import type { ResponseMessage } from 'vscode-jsonrpc/node';
import type { JsonText } from '../schemas/framing.js';

/** Below this a string's stringify is too cheap for the scan to matter. */
const LONG_STRING = 64 * 1024;

/** What JSON.stringify escapes: `"`, `\`, control characters and (unpaired) surrogates, which a scan for any surrogate covers. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON escapes
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

export function responseJson(response: ResponseMessage): JsonText {
  const result = response.result as { result?: unknown } | null | undefined;
  const text = result?.result;
  if (typeof text !== 'string' || text.length < LONG_STRING || !onlyKeys(response, ['jsonrpc', 'id', 'result']) || !onlyKeys(result!, ['result'])) {
    return JSON.stringify(response);
  }
  if (NEEDS_ESCAPE.test(text)) return JSON.stringify(response);
  return [`{"jsonrpc":${JSON.stringify(response.jsonrpc)},"id":${JSON.stringify(response.id)},"result":{"result":"`, text, '"}}'];
}

function onlyKeys(value: object, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && own.every((key, i) => key === keys[i]) && !('toJSON' in value);
}

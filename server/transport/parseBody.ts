/**
 * JSON.parse of a frame body, quicker when the body ends in one long string: the client's answer
 * to a tool call with a large text result, `{"jsonrpc":"2.0","id":N,"result":{"result":"…"}}`.
 * JSON.parse checks and copies such a string character by character; a string with nothing
 * escaped is its own text, so one scan for a quote, backslash or control character decides that
 * the string can be sliced out of the body as it is, and only the rest is parsed. The value is
 * always exactly JSON.parse's: any other shape, or any doubt, falls back to JSON.parse.
 */

/** Below this a string's parse is too cheap for the scan to matter. */
const LONG_STRING = 64 * 1024;

/** The text before the long string: it must be the value of `result` inside the top-level `result`. */
const HEAD = '"result":{"result":"';
const TAIL = '"}}';

/** What may come right before the first key of `HEAD`. */
const STARTS_MEMBER = new Set(['{', ',']);

/** What ends an escape-free JSON string, or makes it invalid. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON forbids in strings
const STRING_END = /["\\\u0000-\u001f]/g;

export function parseBody(text: string): unknown {
  const close = text.length - TAIL.length;
  if (close < LONG_STRING || !text.endsWith(TAIL)) return JSON.parse(text);
  const open = text.lastIndexOf('"', close - 1);
  const head = open + 1 - HEAD.length;
  if (close - open - 1 < LONG_STRING || !text.startsWith(HEAD, head) || !STARTS_MEMBER.has(text[head - 1]!)) return JSON.parse(text);
  STRING_END.lastIndex = open + 1;
  if (STRING_END.exec(text)?.index !== close) return JSON.parse(text);
  // The body with the string emptied: if that parses, the quote at `open` starts a string (a
  // closing quote would leave `}}` inside an unterminated string), so `HEAD`, after a `{` or `,`
  // that cannot precede an escaped quote, is two keys and an object outside any string, and the
  // emptied string is the last `result` of the object that is the last `result` of the top-level
  // object. Duplicate keys keep the last, as here.
  let rest: unknown;
  try {
    rest = JSON.parse(`${text.slice(0, open + 1)}${TAIL}`);
  } catch {
    return JSON.parse(text);
  }
  const inner = (rest as { result?: unknown }).result as { result?: unknown } | null | undefined;
  if (typeof inner !== 'object' || inner === null || inner.result !== '') return JSON.parse(text);
  inner.result = text.slice(open + 1, close);
  return rest;
}

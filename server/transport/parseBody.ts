/**
 * JSON.parse of a frame body, quicker when the body ends in one long string: the client's answer
 * to a tool call with a large text result, `{"jsonrpc":"2.0","id":N,"result":{"result":"…"}}`.
 * JSON.parse checks and copies such a string character by character; a string with nothing
 * escaped is its own text, so a scan for a quote, backslash or control character decides that it
 * can be taken as it is, and only the rest is parsed. When the string is ASCII it is not even
 * decoded: the value holds its bytes as a RawText (server/rawText.ts), whose text is the string
 * JSON.parse would give. Otherwise the value is exactly JSON.parse's: any other shape, or any
 * doubt, falls back to JSON.parse.
 */
import { isAscii } from 'node:buffer';
import { RawText } from '../rawText.js';

/** Below this a string's parse is too cheap for the scan to matter. */
const LONG_STRING = 64 * 1024;

/** The text before the long string: it must be the value of `result` inside the top-level `result`. */
const HEAD = '"result":{"result":"';
const TAIL = '"}}';
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** What may come right before the first key of `HEAD`. */
const STARTS_MEMBER = new Set(['{', ',']);

/** What ends an escape-free JSON string, or makes it invalid. */
// eslint-disable-next-line no-control-regex -- control characters are what JSON forbids in strings
const STRING_END = /["\\\u0000-\u001f]/g;

/**
 * The body must be valid UTF-8 (the caller checks). `release` is handed to the RawText the value
 * holds, or called once the body was decoded (FrameEvents.frame), even when the parse fails.
 */
export function parseBody(body: Buffer, release?: () => void): unknown {
  const value = parseAsciiTail(body, release);
  if (value !== undefined) return value;
  const text = body.toString('utf8');
  release?.();
  return parseText(text);
}

/** The value with its long ASCII string as a RawText, or undefined when the body is not of that shape. */
function parseAsciiTail(body: Buffer, release: (() => void) | undefined): unknown {
  const close = body.length - TAIL.length;
  if (close < LONG_STRING || body.toString('latin1', close) !== TAIL) return undefined;
  const open = body.lastIndexOf(QUOTE, close - 1);
  const head = open + 1 - HEAD.length;
  if (close - open - 1 < LONG_STRING || head < 1 || body.toString('latin1', head, open + 1) !== HEAD) return undefined;
  if (!STARTS_MEMBER.has(String.fromCharCode(body[head - 1]!))) return undefined;
  const string = body.subarray(open + 1, close);
  if (!isAscii(string) || string.includes(BACKSLASH) || hasControlCharacter(string)) return undefined;
  return withLongString(body.toString('utf8', 0, open + 1), new RawText(string, release));
}

/** JSON forbids raw control characters in strings; searching for each byte is faster than a loop. */
function hasControlCharacter(bytes: Buffer): boolean {
  for (let byte = 0; byte < 0x20; byte++) if (bytes.includes(byte)) return true;
  return false;
}

function parseText(text: string): unknown {
  const close = text.length - TAIL.length;
  if (close < LONG_STRING || !text.endsWith(TAIL)) return JSON.parse(text);
  const open = text.lastIndexOf('"', close - 1);
  const head = open + 1 - HEAD.length;
  if (close - open - 1 < LONG_STRING || !text.startsWith(HEAD, head) || !STARTS_MEMBER.has(text[head - 1]!)) return JSON.parse(text);
  STRING_END.lastIndex = open + 1;
  if (STRING_END.exec(text)?.index !== close) return JSON.parse(text);
  return withLongString(text.slice(0, open + 1), text.slice(open + 1, close)) ?? JSON.parse(text);
}

/**
 * The body whose text up to the long string's opening quote is `before`, with the string put back
 * in; undefined when that is not what the body is. The body with the string emptied must parse:
 * then the quote ending `before` starts a string (a closing quote would leave `}}` inside an
 * unterminated string), so `HEAD`, after a `{` or `,` that cannot precede an escaped quote, is two
 * keys and an object outside any string, and the emptied string is the last `result` of the object
 * that is the last `result` of the top-level object. Duplicate keys keep the last, as here.
 */
function withLongString(before: string, string: string | RawText): unknown {
  let rest: unknown;
  try {
    rest = JSON.parse(`${before}${TAIL}`);
  } catch {
    return undefined;
  }
  const inner = (rest as { result?: unknown }).result as { result?: unknown } | null | undefined;
  if (typeof inner !== 'object' || inner === null || inner.result !== '') return undefined;
  inner.result = string;
  return rest;
}

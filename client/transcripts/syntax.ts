/**
 * How a string or an object key in a transcript reads: a literal, a matcher (`$any:number`), or an
 * escaped literal (`$$...`). Kept in one place so the parser, the matcher and the recorder (which
 * must escape real values that look like matchers) can never disagree.
 */

/** `$name:argument`: a matcher in a host line, or `$ref:` in a client line. */
const MATCHER = /^\$([a-z]+):(.*)$/s;
/** `$name` as an object key: a directive (only `$partial`). */
const DIRECTIVE = /^\$[A-Za-z]+$/;

export type StringToken =
  | { kind: 'literal'; value: string }
  | { kind: 'matcher'; name: string; argument: string };

export function readString(text: string): StringToken {
  if (text.startsWith('$$')) return { kind: 'literal', value: text.slice(1) };
  const match = MATCHER.exec(text);
  if (match === null) return { kind: 'literal', value: text };
  return { kind: 'matcher', name: match[1] as string, argument: match[2] as string };
}

export type KeyToken = { kind: 'literal'; value: string } | { kind: 'directive'; name: string };

export function readKey(key: string): KeyToken {
  if (key.startsWith('$$')) return { kind: 'literal', value: key.slice(1) };
  if (DIRECTIVE.test(key)) return { kind: 'directive', name: key };
  return { kind: 'literal', value: key };
}

/** The transcript spelling of a real string, so that it reads back as itself. */
export function escapeString(text: string): string {
  return text.startsWith('$$') || MATCHER.test(text) ? `$${text}` : text;
}

export function escapeKey(key: string): string {
  return key.startsWith('$$') || DIRECTIVE.test(key) ? `$${key}` : key;
}

/** A real JSON value spelled so that every string and key in it reads back literally. */
export function escapeValue(value: unknown): unknown {
  if (typeof value === 'string') return escapeString(value);
  if (Array.isArray(value)) return value.map(escapeValue);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [escapeKey(key), escapeValue(item)]));
}

export const PARTIAL_DIRECTIVE = '$partial';

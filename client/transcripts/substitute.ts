/** Turns a client line into the value actually sent: `$ref:name` replaced, `$$` escapes undone. */
import { isObject, type Json } from './json.js';
import { readKey, readString } from './syntax.js';

export function substitute(value: Json, bindings: ReadonlyMap<string, Json>): Json {
  if (typeof value === 'string') {
    const token = readString(value);
    if (token.kind === 'literal') return token.value;
    // The parser only lets `$ref:` through, and only to a capture of an earlier line, which the
    // replayer has matched before it sends this line.
    const bound = bindings.get(token.argument);
    if (bound === undefined) throw new Error(`internal: "$ref:${token.argument}" is not bound`);
    return bound;
  }
  if (Array.isArray(value)) return value.map((item) => substitute(item, bindings));
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [literalKey(key), substitute(item, bindings)]));
}

/** The parser refuses directive keys in client lines, so every key reads as a literal. */
function literalKey(key: string): string {
  const token = readKey(key);
  return token.kind === 'literal' ? token.value : key;
}

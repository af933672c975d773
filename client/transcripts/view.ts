/**
 * What a line says about the fields that decide ordering (ids, sessionId, cellId), before it is
 * matched: literals as written, bound `$ref:`s as their values, every other matcher as null.
 */
import { isObject, type Json } from './json.js';
import { readKey, readString } from './syntax.js';

export function viewOf(value: Json, bindings: ReadonlyMap<string, Json>): Json {
  if (typeof value === 'string') {
    const token = readString(value);
    if (token.kind === 'literal') return token.value;
    return token.name === 'ref' ? (bindings.get(token.argument) ?? null) : null;
  }
  if (Array.isArray(value)) return value.map((item) => viewOf(item, bindings));
  if (!isObject(value)) return value;
  const entries: Array<[string, Json]> = [];
  for (const [key, item] of Object.entries(value)) {
    const token = readKey(key);
    if (token.kind === 'literal') entries.push([token.value, viewOf(item, bindings)]);
  }
  return Object.fromEntries(entries);
}

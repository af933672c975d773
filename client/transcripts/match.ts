/**
 * Matches a received value against a compiled pattern. Captures are collected aside and only
 * bound by the caller when the whole line matched, so a failed match leaves no trace.
 */
import { isObject, jsonEqual, type Json } from './json.js';
import type { Pattern } from './pattern.js';

export type Path = Array<string | number>;

export interface Mismatch {
  /** Where in the message the first difference is. */
  path: Path;
  /** What was expected there, in words (`"35"`, `a number`, `no key "extra"`). */
  expected: string;
  /** What was found there. */
  actual: string;
}

export type MatchResult = { ok: true; captures: Map<string, Json> } | { ok: false; mismatch: Mismatch };

export function matchPattern(pattern: Pattern, actual: unknown, bindings: ReadonlyMap<string, Json>): MatchResult {
  const captures = new Map<string, Json>();
  const mismatch = walk(pattern, actual, [], bindings, captures);
  return mismatch === undefined ? { ok: true, captures } : { ok: false, mismatch };
}

function walk(pattern: Pattern, actual: unknown, path: Path, bindings: ReadonlyMap<string, Json>, captures: Map<string, Json>): Mismatch | undefined {
  const differ = (expected: string): Mismatch => ({ path, expected, actual: show(actual) });
  switch (pattern.type) {
    case 'literal':
      return actual === pattern.value ? undefined : differ(JSON.stringify(pattern.value));
    case 'any':
      if (pattern.of === 'value') return actual === undefined ? differ('any value') : undefined;
      return typeof actual === pattern.of ? undefined : differ(`any ${pattern.of}`);
    case 'capture':
      if (actual === undefined) return differ(`a value to capture as "${pattern.name}"`);
      captures.set(pattern.name, actual as Json);
      return undefined;
    case 'ref': {
      const bound = bindings.get(pattern.name) ?? captures.get(pattern.name);
      if (bound === undefined) return differ(`the value captured as "${pattern.name}" (not captured yet)`);
      return jsonEqual(bound, actual) ? undefined : differ(`${show(bound)} (captured as "${pattern.name}")`);
    }
    case 'regex':
      return typeof actual === 'string' && pattern.regex.test(actual) ? undefined : differ(`a string matching /${pattern.regex.source}/`);
    case 'array':
      if (!Array.isArray(actual)) return differ('an array');
      for (let i = 0; i < pattern.items.length; i++) {
        if (i >= actual.length) return { path: [...path, i], expected: 'an item', actual: 'nothing (array too short)' };
        const inner = walk(pattern.items[i] as Pattern, actual[i], [...path, i], bindings, captures);
        if (inner !== undefined) return inner;
      }
      return actual.length === pattern.items.length ? undefined : { path: [...path, pattern.items.length], expected: 'nothing (array too long)', actual: show(actual[pattern.items.length]) };
    case 'object':
      if (!isObject(actual)) return differ('an object');
      for (const [key, item] of pattern.entries) {
        if (!Object.hasOwn(actual, key)) return { path: [...path, key], expected: 'this key', actual: 'no such key' };
        const inner = walk(item, actual[key], [...path, key], bindings, captures);
        if (inner !== undefined) return inner;
      }
      if (pattern.partial) return undefined;
      for (const key of Object.keys(actual)) {
        if (!pattern.entries.has(key)) return { path: [...path, key], expected: 'no such key', actual: show(actual[key]) };
      }
      return undefined;
  }
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** `/result/items/0/text` */
export function formatPath(path: Path): string {
  return path.length === 0 ? '(the whole message)' : path.map((part) => `/${String(part).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

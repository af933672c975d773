/**
 * Host lines hold patterns: JSON in which some strings are matchers. Compiling a pattern once
 * checks its syntax (so a typo fails at parse time, naming the line) and gives the matcher a tree.
 */
import { isObject, type Json } from './json.js';
import { PARTIAL_DIRECTIVE, readKey, readString } from './syntax.js';

export type AnyKind = 'number' | 'string' | 'value';

export type Pattern =
  | { type: 'literal'; value: null | boolean | number | string }
  | { type: 'any'; of: AnyKind }
  | { type: 'capture'; name: string }
  | { type: 'ref'; name: string }
  | { type: 'regex'; regex: RegExp }
  | { type: 'array'; items: Pattern[] }
  | { type: 'object'; entries: Map<string, Pattern>; partial: boolean };

const NAME = /^[A-Za-z0-9_.-]+$/;
const ANY_KINDS: readonly string[] = ['number', 'string', 'value'];

/** Thrown while compiling; the parser adds the file and line. */
export class PatternError extends Error {}

/** `refs` collects the names used by `$ref:`, `captures` those bound by `$capture:`. */
export interface NameUse {
  captures: string[];
  refs: string[];
}

export function compilePattern(value: Json, names: NameUse): Pattern {
  if (typeof value === 'string') return compileString(value, names);
  if (Array.isArray(value)) return { type: 'array', items: value.map((item) => compilePattern(item, names)) };
  if (!isObject(value)) return { type: 'literal', value };
  const entries = new Map<string, Pattern>();
  let partial = false;
  for (const [rawKey, item] of Object.entries(value)) {
    const key = readKey(rawKey);
    if (key.kind === 'literal') {
      entries.set(key.value, compilePattern(item, names));
    } else if (key.name === PARTIAL_DIRECTIVE && item === true) {
      partial = true;
    } else {
      throw new PatternError(`unknown directive key "${rawKey}" (only "$partial": true exists; write "$${rawKey}" for a literal key)`);
    }
  }
  return { type: 'object', entries, partial };
}

function compileString(text: string, names: NameUse): Pattern {
  const token = readString(text);
  if (token.kind === 'literal') return { type: 'literal', value: token.value };
  const { name, argument } = token;
  switch (name) {
    case 'any':
      if (!ANY_KINDS.includes(argument)) throw new PatternError(`"$any:${argument}": expected $any:number, $any:string or $any:value`);
      return { type: 'any', of: argument as AnyKind };
    case 'capture':
    case 'ref':
      if (!NAME.test(argument)) throw new PatternError(`"${text}": a name is letters, digits, "_", "." or "-"`);
      (name === 'capture' ? names.captures : names.refs).push(argument);
      return { type: name, name: argument };
    case 'regex':
      try {
        return { type: 'regex', regex: new RegExp(argument, 'u') };
      } catch (error) {
        throw new PatternError(`"${text}": ${(error as Error).message}`);
      }
    default:
      throw new PatternError(`unknown matcher "$${name}:" (known: $any:, $capture:, $ref:, $regex:; write "$${text}" for a literal string)`);
  }
}

/** Client lines may only use `$ref:` (and `$$` escapes): they are sent, not matched. */
export function checkClientValue(value: Json, names: NameUse): void {
  if (typeof value === 'string') {
    const token = readString(value);
    if (token.kind === 'literal') return;
    if (token.name !== 'ref' || !NAME.test(token.argument)) {
      throw new PatternError(`"${value}": client lines are sent as written and only accept "$ref:name" (write "$${value}" for a literal string)`);
    }
    names.refs.push(token.argument);
    return;
  }
  if (Array.isArray(value)) return value.forEach((item) => checkClientValue(item, names));
  if (!isObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    if (readKey(key).kind === 'directive') throw new PatternError(`directive key "${key}" is not allowed in a client line (write "$${key}" for a literal key)`);
    checkClientValue(item, names);
  }
}

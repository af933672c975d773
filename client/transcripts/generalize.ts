/**
 * `--generalize`: rewrites a recorded host message (already escaped) so that it matches any run
 * of any conforming host, not just the recorded one. Each rule replaces only what docs/protocol.md
 * leaves to the implementation or to chance.
 */
import { isObject, type Json } from './json.js';
import { PARTIAL_DIRECTIVE, readString } from './syntax.js';

const ANY_NUMBER = '$any:number';
const ANY_STRING = '$any:string';
/** The `data` keys docs/protocol.md gives error responses (Lifecycle, Cells and Errors). */
const PROTOCOL_DATA_KEYS: readonly string[] = ['kind', 'errors', 'supportedVersions', 'limit', 'cellId'];
/** V8 stack frames: the part of an error after its first line depends on the implementation. */
const STACK_FRAME = '\n    at ';

/**
 * - every `durationMs` → any number (timing);
 * - the `initialize` result's `serverInfo` → any name and version, `capabilities` → partial (hosts may add);
 * - an error response's `message` and `data.errors[].message` → any string; `data` keeps only the
 *   keys docs/protocol.md names and becomes partial (codes and `data` keys are the contract, wording
 *   and extra data are not);
 * - a cell `error` with a stack trace → a regex on its first line.
 */
export function generalizeHostMessage(message: Json, answeredMethod: string | undefined): Json {
  // A batch response: each of its responses answers a request of the batch, never initialize.
  if (Array.isArray(message)) return message.map((item) => generalizeHostMessage(item, undefined));
  const result = withoutDurations(message);
  if (!isObject(result)) return result;
  if (isObject(result.error)) return { ...result, error: generalizeError(result.error) };
  if (!isObject(result.result)) return result;
  if (answeredMethod === 'initialize') return { ...result, result: generalizeInitialize(result.result) };
  if (typeof result.result.error === 'string' && typeof result.result.cellId === 'string') return { ...result, result: { ...result.result, error: firstLineOnly(result.result.error) } };
  return result;
}

function withoutDurations(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutDurations);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, key === 'durationMs' && typeof item === 'number' ? ANY_NUMBER : withoutDurations(item)]));
}

function generalizeInitialize(result: { [key: string]: Json }): Json {
  const generalized: { [key: string]: Json } = { ...result };
  if (isObject(result.serverInfo)) generalized.serverInfo = { name: ANY_STRING, version: ANY_STRING };
  if (isObject(result.capabilities)) generalized.capabilities = { ...result.capabilities, [PARTIAL_DIRECTIVE]: true };
  return generalized;
}

function generalizeError(error: { [key: string]: Json }): Json {
  const generalized: { [key: string]: Json } = { ...error, message: ANY_STRING };
  if (!isObject(error.data)) return generalized;
  const named = Object.entries(error.data).filter(([key]) => PROTOCOL_DATA_KEYS.includes(key));
  const data: { [key: string]: Json } = { ...Object.fromEntries(named), [PARTIAL_DIRECTIVE]: true };
  if (Array.isArray(error.data.errors)) data.errors = error.data.errors.map((entry) => (isObject(entry) ? { ...entry, message: ANY_STRING } : entry));
  generalized.data = data;
  return generalized;
}

function firstLineOnly(escaped: string): string {
  const token = readString(escaped);
  if (token.kind !== 'literal' || !token.value.includes(STACK_FRAME)) return escaped;
  const firstLine = token.value.slice(0, token.value.indexOf('\n'));
  return `$regex:^${firstLine.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\n`;
}

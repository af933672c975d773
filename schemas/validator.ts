/**
 * Checks params and results against the method's JSON Schema, with the validators Ajv compiled
 * from the schemas at `make gen` time (schemas/generated/validators.ts): nothing is compiled at
 * run time, and Ajv itself is never loaded.
 *
 * The validators stop at the first violation (no `allErrors`), which bounds the work a hostile
 * message can cause, so `errors` usually holds one entry.
 */
import type { DefinedError } from 'ajv/dist/2020.js';
import type { ParamError } from './errors.js';
import type { MethodParams, MethodResults } from './generated/types.js';
import { validatorsById } from './generated/validators.js';
import { isMethodName, MethodTable, schemaStem, type MethodName } from './methods.js';
import { toParamError } from './paramErrors.js';

/**
 * `unknownMethod` is true when the method has no such schema: an unknown method (the host
 * answers -32601), or a result asked of a notification. Otherwise the value broke the schema
 * (the host answers -32602 with `data.errors`).
 */
export type Validation<T> =
  | { ok: true; value: T }
  | { ok: false; unknownMethod: boolean; errors: ParamError[] };

/**
 * Validates a method's params. Absent and `null` params are both checked, and returned, as `{}`:
 * PROTOCOL says `"params": null` counts as absent, and methods without params accept `{}`.
 */
export function validateParams<M extends MethodName>(method: M, params: unknown): Validation<MethodParams[M]>;
export function validateParams(method: string, params: unknown): Validation<unknown>;
export function validateParams(method: string, params: unknown): Validation<unknown> {
  if (!isMethodName(method)) return unknownMethod(`unknown method ${JSON.stringify(method)}`);
  return validate(checkOf(paramsChecks, method, 'params'), params ?? {});
}

/** Validates the result of a request, as is. */
export function validateResult<M extends keyof MethodResults>(method: M, result: unknown): Validation<MethodResults[M]>;
export function validateResult(method: string, result: unknown): Validation<unknown>;
export function validateResult(method: string, result: unknown): Validation<unknown> {
  if (!isMethodName(method)) return unknownMethod(`unknown method ${JSON.stringify(method)}`);
  if (MethodTable[method].kind !== 'request') {
    return unknownMethod(`${JSON.stringify(method)} is a notification: it has no result`);
  }
  return validate(checkOf(resultChecks, method, 'result'), result);
}

/**
 * Each method's validators, found once: building a schema id and looking it up costs more than
 * checking a small message, and both ends check one per tool call.
 */
const paramsChecks = new Map<MethodName, Check>();
const resultChecks = new Map<MethodName, Check>();

function checkOf(found: Map<MethodName, Check>, method: MethodName, part: 'params' | 'result'): Check {
  let check = found.get(method);
  if (check === undefined) {
    check = validator(`urn:codemode-host:${schemaStem(method)}.${part}`);
    found.set(method, check);
  }
  return check;
}

function validate(check: Check, value: unknown): Validation<unknown> {
  if (check(value)) return { ok: true, value };
  // Ajv documents its errors as DefinedError when no custom keyword is added, as here.
  const errors = (check.errors ?? []) as DefinedError[];
  return { ok: false, unknownMethod: false, errors: errors.map(toParamError) };
}

function unknownMethod(message: string): Validation<never> {
  return { ok: false, unknownMethod: true, errors: [{ path: '', message }] };
}

/** What Ajv's standalone code exports for a schema: errors are left on the function after a failure. */
interface Check {
  (data: unknown): boolean;
  errors?: unknown[] | null;
}

const checks: Readonly<Record<string, Check | undefined>> = validatorsById;

function validator(id: string): Check {
  const check = checks[id];
  if (check === undefined) throw new Error(`no validator for ${id}: add the JSON file and run \`make gen\``);
  return check;
}

/**
 * Checks params and results against the method's JSON Schema. One Ajv instance holds every
 * schema; each validator is compiled on its first use and kept.
 *
 * Ajv stops at the first violation (no `allErrors`), which bounds the work a hostile message can
 * cause, so `errors` usually holds one entry.
 */
import { createRequire } from 'node:module';
import type { Ajv2020, DefinedError, SchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import type { ParamError } from './errors.js';
import { schemasById } from './generated/schemas.js';
import type { MethodParams, MethodResults } from './generated/types.js';
import { isMethodName, MethodTable, schemaStem, type MethodName } from './methods.js';
import { toParamError } from './paramErrors.js';
import type * as Ajv2020Module from 'ajv/dist/2020.js';

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
  return validate(`${schemaStem(method)}.params`, params ?? {});
}

/** Validates the result of a request, as is. */
export function validateResult<M extends keyof MethodResults>(method: M, result: unknown): Validation<MethodResults[M]>;
export function validateResult(method: string, result: unknown): Validation<unknown>;
export function validateResult(method: string, result: unknown): Validation<unknown> {
  if (!isMethodName(method)) return unknownMethod(`unknown method ${JSON.stringify(method)}`);
  if (MethodTable[method].kind !== 'request') {
    return unknownMethod(`${JSON.stringify(method)} is a notification: it has no result`);
  }
  return validate(`${schemaStem(method)}.result`, result);
}

function validate(stem: string, value: unknown): Validation<unknown> {
  const check = validator(`urn:codemode-host:${stem}`);
  if (check(value)) return { ok: true, value };
  // Ajv documents its errors as DefinedError when no custom keyword is added, as here.
  const errors = (check.errors ?? []) as DefinedError[];
  return { ok: false, unknownMethod: false, errors: errors.map(toParamError) };
}

function unknownMethod(message: string): Validation<never> {
  return { ok: false, unknownMethod: true, errors: [{ path: '', message }] };
}

let ajv: Ajv2020 | undefined;

function validator(id: string): ValidateFunction {
  const schema = schemasById[id];
  if (schema === undefined) throw new Error(`no schema ${id}: add the JSON file and run \`make gen\``);
  ajv ??= createAjv();
  // Ajv caches by schema object, so this compiles once per schema.
  return ajv.compile(schema as SchemaObject);
}

function createAjv(): Ajv2020 {
  // Required on first use, not imported: loading Ajv takes tens of milliseconds, which a client
  // that never validates should not pay at start-up.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof Ajv2020Module;
  const instance = new Ajv2020({
    strict: true,
    strictTypes: true,
    strictRequired: true,
    // `"type": ["integer", "null"]` is how the schemas say "or null".
    allowUnionTypes: true,
    // ContentItem picks its branch by `type`, so errors come from that branch alone.
    discriminator: true,
    // Checking the schemas against the meta-schema is the test suite's job; here it would double
    // the cost of the first validation.
    validateSchema: false,
  });
  for (const schema of Object.values(schemasById)) instance.addSchema(schema as SchemaObject);
  return instance;
}

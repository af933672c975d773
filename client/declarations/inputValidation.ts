/**
 * Checks a tool's input against its `inputSchema` before the call leaves, so a cell learns what
 * is wrong with its input from the caller, not from a tool that may fail obscurely. Tools write
 * draft-07 and 2020-12 schemas alike; Ajv's 2020 dialect reads both for the keywords they share.
 * A schema Ajv cannot compile is not checked (the tool still sees the input).
 */
import { createRequire } from 'node:module';
import type { Ajv2020, ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import type * as Ajv2020Module from 'ajv/dist/2020.js';
import type { ToolDefinition } from '../../schemas/index.js';
import { jsToolName } from './names.js';

/** The error a cell sees: `tools.fs__read_file: input must have required property 'path'`. */
export class ToolInputError extends Error {
  constructor(
    readonly jsName: string,
    readonly problems: readonly string[],
  ) {
    super(`tools.${jsName}: input ${problems.join('; ')}`);
    this.name = 'ToolInputError';
  }
}

/** Validators of the tools' inputs, each compiled on the first call of its tool. */
export class InputValidator {
  private readonly schemas = new Map<string, object>();
  private readonly compiled = new Map<string, ValidateFunction | null>();
  private ajv: Ajv2020 | undefined;

  constructor(tools: readonly ToolDefinition[]) {
    for (const tool of tools) if (tool.inputSchema !== undefined) this.schemas.set(jsToolName(tool), tool.inputSchema);
  }

  /** Throws ToolInputError when `input` breaks the tool's schema; a tool without one takes anything. */
  check(tool: { name: string; namespace?: string | null }, input: unknown): void {
    const jsName = jsToolName(tool);
    const validate = this.validator(jsName);
    if (validate === null || validate(input === null ? {} : input)) return;
    throw new ToolInputError(jsName, (validate.errors ?? []).map(describe));
  }

  private validator(jsName: string): ValidateFunction | null {
    const known = this.compiled.get(jsName);
    if (known !== undefined) return known;
    const schema = this.schemas.get(jsName);
    let validate: ValidateFunction | null = null;
    if (schema !== undefined) {
      try {
        validate = (this.ajv ??= createAjv()).compile(withoutDialect(schema));
      } catch {
        validate = null;
      }
    }
    this.compiled.set(jsName, validate);
    return validate;
  }
}

/** `$schema` names a dialect Ajv 2020 has not loaded (draft-07): the keywords are read the same without it. */
function withoutDialect(schema: object): object {
  const { $schema: _dialect, $id: _id, ...rest } = schema as Record<string, unknown>;
  return rest;
}

function describe(error: ErrorObject): string {
  const allowed = error.keyword === 'enum' ? `: ${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)}` : '';
  const extra = error.keyword === 'additionalProperties' ? ` (${JSON.stringify((error.params as { additionalProperty?: unknown }).additionalProperty)})` : '';
  return `${error.instancePath === '' ? '' : `${error.instancePath} `}${error.message ?? 'is invalid'}${allowed}${extra}`;
}

function createAjv(): Ajv2020 {
  // Required on first use: a program that never validates does not pay for loading Ajv.
  const { Ajv2020 } = createRequire(import.meta.url)('ajv/dist/2020.js') as typeof Ajv2020Module;
  // Tools' schemas are written for many validators: unknown keywords and formats pass.
  return new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
}

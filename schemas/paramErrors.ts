/**
 * Turns an Ajv error into the `{path, message}` a client sees in `data.errors`. The path always
 * names the offending value itself, a missing or unknown key included (Ajv reports those at the
 * enclosing object), so a client can point at it without parsing the message.
 */
import type { DefinedError } from 'ajv/dist/2020.js';
import type { ParamError } from './errors.js';

export function toParamError(error: DefinedError): ParamError {
  const path = error.instancePath;
  switch (error.keyword) {
    case 'required':
      return { path: child(path, error.params.missingProperty), message: 'is required' };
    case 'additionalProperties':
      return { path: child(path, error.params.additionalProperty), message: 'is not allowed: unknown key' };
    case 'type':
      return { path, message: `must be ${[error.params.type].flat().join(' or ')}` };
    case 'enum':
      return { path, message: `must be one of ${error.params.allowedValues.map(quote).join(', ')}` };
    case 'const':
      return { path, message: `must be ${quote(error.params.allowedValue)}` };
    case 'minLength':
      return {
        path,
        message: error.params.limit === 1 ? 'must not be empty' : `must be at least ${error.params.limit} characters long`,
      };
    case 'maxLength':
      return { path, message: `must be at most ${error.params.limit} characters long` };
    case 'discriminator': {
      const { tag, tagValue } = error.params;
      if (tagValue === undefined) return { path: child(path, tag), message: 'is required' };
      if (typeof tagValue !== 'string') return { path: child(path, tag), message: 'must be string' };
      return { path: child(path, tag), message: `${quote(tagValue)} is not a known ${tag}` };
    }
    default:
      // Ajv's own wording is clear for the rest, e.g. `must be >= 8`, `must match pattern "..."`.
      return { path, message: error.message ?? `fails the schema's ${error.keyword}` };
  }
}

/** The JSON Pointer of `key` inside the value at `path` (RFC 6901 escaping). */
function child(path: string, key: string): string {
  return `${path}/${key.replaceAll('~', '~0').replaceAll('/', '~1')}`;
}

function quote(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

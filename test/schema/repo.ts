/**
 * Reads the schema files and fixtures from the source tree, so the tests check the committed
 * JSON rather than what was embedded from it.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Tests run from dist/test/schema/, three levels below the repository.
const root = fileURLToPath(new URL('../../../', import.meta.url));

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type SchemaDoc = { [key: string]: Json };

export function readJson(relative: string): Json {
  return JSON.parse(readFileSync(root + relative, 'utf8')) as Json;
}

export function listDir(relative: string): string[] {
  return readdirSync(root + relative).sort();
}

/** Every schema file, by its path relative to schemas/ (`defs.json`, `methods/x.params.json`). */
export function schemaFiles(): Map<string, SchemaDoc> {
  const files = ['defs.json', ...listDir('schemas/methods').map((name) => `methods/${name}`)];
  return new Map(files.map((file) => [file, readJson(`schemas/${file}`) as SchemaDoc]));
}

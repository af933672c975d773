import { expect } from 'chai';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { schemasById } from '../../schemas/generated/schemas.js';
import { schemaFiles, type Json, type SchemaDoc } from './repo.js';

const DEFS_ID = 'urn:codemode-host:defs';
const files = schemaFiles();

/** Every `$ref` value anywhere in a schema. */
function refsIn(value: Json): string[] {
  if (Array.isArray(value)) return value.flatMap(refsIn);
  if (typeof value !== 'object' || value === null) return [];
  return Object.entries(value).flatMap(([key, v]) => (key === '$ref' && typeof v === 'string' ? [v] : refsIn(v)));
}

function resolveInDefs(ref: string): SchemaDoc {
  const defs = files.get('defs.json') as Json;
  const pointer = ref.slice(`${DEFS_ID}#`.length).split('/').slice(1);
  return pointer.reduce((node: Json, key) => (node as SchemaDoc)[key] as Json, defs) as SchemaDoc;
}

// Options of schemas/validator.ts, plus the meta-schema check it leaves to this suite.
function strictAjv(): Ajv2020 {
  return new Ajv2020({ strict: true, strictTypes: true, strictRequired: true, allowUnionTypes: true, discriminator: true });
}

describe('JSON Schemas', () => {
  it('each file has $schema 2020-12, an $id from its file name, a title and a description', () => {
    for (const [file, schema] of files) {
      const stem = file.replace(/^methods\//, '').replace(/\.json$/, '');
      expect(schema.$schema, file).to.equal('https://json-schema.org/draft/2020-12/schema');
      expect(schema.$id, file).to.equal(`urn:codemode-host:${stem}`);
      expect(schema.title, file).to.be.a('string').and.match(/^[A-Z][A-Za-z]+$/);
      expect(schema.description, file).to.be.a('string').and.not.equal('');
    }
  });

  it('titles are unique, and a titled definition is titled by its key', () => {
    const defs = (files.get('defs.json') as SchemaDoc).$defs as Record<string, SchemaDoc>;
    const titles = [...files.values()].map((s) => s.title);
    for (const [key, def] of Object.entries(defs)) {
      if (def.title !== undefined) {
        expect(def.title, key).to.equal(key);
        titles.push(def.title);
      }
    }
    expect(new Set(titles).size).to.equal(titles.length);
  });

  it('every schema is meta-valid and compiles in strict mode', () => {
    const ajv = strictAjv();
    for (const schema of files.values()) ajv.addSchema(schema);
    for (const [file, schema] of files) {
      expect(ajv.validateSchema(schema), `${file}: ${ajv.errorsText()}`).to.equal(true);
      expect(() => ajv.compile(schema), file).not.to.throw();
    }
  });

  it('every $ref resolves, and only into defs.json', () => {
    const ajv = strictAjv();
    for (const schema of files.values()) ajv.addSchema(schema);
    for (const [file, schema] of files) {
      for (const ref of refsIn(schema)) {
        expect(ref, file).to.match(new RegExp(`^${DEFS_ID}#/\\$defs/`));
        expect(ajv.getSchema(ref), `${file}: ${ref}`).to.not.equal(undefined);
        expect(resolveInDefs(ref), `${file}: ${ref}`).to.be.an('object');
      }
    }
  });

  it('every definition is used', () => {
    const defs = (files.get('defs.json') as SchemaDoc).$defs as Record<string, SchemaDoc>;
    const used = new Set([...files.values()].flatMap(refsIn).map((ref) => ref.split('/')[2]));
    expect(Object.keys(defs).filter((key) => !used.has(key))).to.deep.equal([]);
  });

  it('params objects are closed, except the documented open ones', () => {
    // Open on purpose: clients may add their own info and capabilities, and a tool's schemas
    // are arbitrary JSON Schemas passed through to the client.
    const open = new Set([
      `${DEFS_ID}#/$defs/ClientInfo`,
      `${DEFS_ID}#/$defs/ClientCapabilities`,
      `${DEFS_ID}#/$defs/ToolDefinition/properties/inputSchema`,
      `${DEFS_ID}#/$defs/ToolDefinition/properties/outputSchema`,
    ]);
    const visit = (schema: SchemaDoc, at: string, seen: Set<string>): void => {
      if (typeof schema.$ref === 'string' && !seen.has(schema.$ref)) {
        visit(resolveInDefs(schema.$ref), schema.$ref, new Set([...seen, schema.$ref]));
      }
      if (schema.type === 'object' && !('oneOf' in schema)) {
        expect(schema.additionalProperties, at).to.equal(open.has(at) ? true : false);
      }
      for (const [key, sub] of Object.entries((schema.properties ?? {}) as Record<string, SchemaDoc>)) {
        visit(sub, `${at}/properties/${key}`, seen);
      }
      if (typeof schema.items === 'object') visit(schema.items as SchemaDoc, `${at}/items`, seen);
      for (const [i, sub] of ((schema.oneOf ?? []) as SchemaDoc[]).entries()) visit(sub, `${at}/oneOf/${i}`, seen);
    };
    for (const [file, schema] of files) {
      if (file.endsWith('.params.json')) visit(schema, String(schema.$id), new Set());
    }
  });

  it('schemas/generated/schemas.ts embeds exactly the files', () => {
    const byId = Object.fromEntries([...files.values()].map((schema) => [schema.$id, schema]));
    expect(schemasById).to.deep.equal(byId);
  });
});

#!/usr/bin/env node
// Rewrites the method reference in docs/protocol.md (between its GENERATED markers) from
// schemas/defs.json and schemas/methods/*.json. `--check` fails when the doc is stale, so the
// reference cannot drift from the schemas the host validates with.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const docPath = join(repo, 'docs', 'protocol.md');
const START = '<!-- GENERATED: method reference (scripts/gen-protocol-doc.mjs; run `make gen`) -->';
const END = '<!-- END GENERATED -->';
const DEFS_PREFIX = 'urn:codemode-host:defs#/$defs/';

const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));
const defs = readJson(join(repo, 'schemas', 'defs.json')).$defs;
const files = readdirSync(join(repo, 'schemas', 'methods')).filter((f) => f.endsWith('.json')).sort();

const anchor = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-');
const oneLine = (text = '') => text.replace(/\s+/g, ' ').replaceAll('|', '\\|').trim();

function typeOf(schema) {
  if (schema === undefined || Object.keys(schema).every((k) => ['description', 'title'].includes(k))) return 'any JSON';
  if (schema.$ref) {
    const name = schema.$ref.slice(DEFS_PREFIX.length);
    return `[${name}](#${anchor(name)})`;
  }
  if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
  if (schema.enum) return schema.enum.map((v) => `\`${JSON.stringify(v)}\``).join(' \\| ');
  for (const key of ['oneOf', 'anyOf']) if (schema[key]) return schema[key].map(typeOf).join(' \\| ');
  const types = Array.isArray(schema.type) ? schema.type : [schema.type];
  return types
    .map((t) => {
      if (t === 'array') return `${typeOf(schema.items)}[]`;
      if (t === 'integer' || t === 'number') return t + bounds(schema);
      if (t === 'string') return t + (schema.pattern ? ` matching \`${schema.pattern}\`` : '') + length(schema);
      return t;
    })
    .join(' \\| ');
}

const bounds = (s) => (s.minimum !== undefined || s.maximum !== undefined ? ` (${s.minimum ?? '…'} to ${s.maximum ?? '…'})` : '');
const length = (s) => (s.minLength !== undefined || s.maxLength !== undefined ? ` (${s.minLength ?? 0} to ${s.maxLength ?? '…'} chars)` : '');

function fieldsTable(schema) {
  const props = schema.properties ?? {};
  const names = Object.keys(props);
  if (names.length === 0) return schema.type === 'null' ? '`null`\n' : 'No fields.\n';
  const required = new Set(schema.required ?? []);
  const rows = names.map((name) => {
    const prop = props[name];
    const described = prop.description ?? (prop.$ref ? defs[prop.$ref.slice(DEFS_PREFIX.length)]?.description : undefined);
    return `| \`${name}\` | ${typeOf(prop)} | ${required.has(name) ? 'yes' : 'no'} | ${oneLine(described)} |`;
  });
  const open = schema.additionalProperties === false ? '' : '\nUnknown keys are accepted and ignored.\n';
  return ['| field | type | required | meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n' + open;
}

function section(method) {
  const params = files.includes(`${method}.params.json`) ? readJson(join(repo, 'schemas', 'methods', `${method}.params.json`)) : undefined;
  const result = files.includes(`${method}.result.json`) ? readJson(join(repo, 'schemas', 'methods', `${method}.result.json`)) : undefined;
  const name = method.replaceAll('.', '/').replace(/^\$\//, '$/');
  const kind = result ? 'request' : 'notification';
  const out = [`### \`${name}\` (${kind})`, '', oneLine(params?.description), ''];
  if (params) out.push('Params:', '', fieldsTable(params));
  if (result) out.push('Result:', '', result.$ref ? `${typeOf(result)}\n` : fieldsTable(result));
  return out.join('\n');
}

function defSection(name) {
  const def = defs[name];
  const out = [`### ${name}`, '', oneLine(def.description), ''];
  if (def.properties) out.push(fieldsTable(def));
  else out.push(`${typeOf(def)}\n`);
  return out.join('\n');
}

const methods = [...new Set(files.map((f) => f.replace(/\.(params|result)\.json$/, '')))];
const generated = [
  START,
  '',
  '## Method reference',
  '',
  ...methods.map(section),
  '## Shared definitions',
  '',
  ...Object.keys(defs).map(defSection),
  END,
].join('\n');

const doc = readFileSync(docPath, 'utf8');
const from = doc.indexOf(START);
const to = doc.indexOf(END);
if (from < 0 || to < 0) throw new Error(`docs/protocol.md must contain the markers ${START} and ${END}`);
const next = doc.slice(0, from) + generated + doc.slice(to + END.length);

if (process.argv.includes('--check')) {
  if (next !== doc) {
    console.error('docs/protocol.md is out of date with schemas/. Run `make gen` and commit the result.');
    process.exit(1);
  }
} else if (next !== doc) {
  writeFileSync(docPath, next);
}

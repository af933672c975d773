/**
 * One JSON Schema (draft-07 or 2020-12, as MCP tools write them) as a TypeScript type.
 *
 * Local `$ref`s (`#`, `#/$defs/...`, `#/definitions/...`, any JSON pointer into the same schema)
 * become named type aliases, so recursive schemas stay finite. A `$ref` met at the top of an
 * alias's own body is expanded in place instead, and one that comes back to a pointer being
 * expanded is cut (it adds nothing to a union): that is the only kind of recursion TypeScript
 * refuses ("circularly references itself"). Anything this cannot express is `unknown`, never an
 * error.
 */
import { jsDoc, propertyKey, typeNamePart } from './names.js';

type Schema = boolean | { readonly [key: string]: unknown };

/**
 * How much to say: `full` writes JSDoc and nested detail; `compact` the top level of each object
 * on one line, without JSDoc or named types; `names` only the tools' names and first sentences.
 */
export type Detail = 'full' | 'compact' | 'names';

/** Nested object literals deeper than this are `unknown`: a guard against schemas built to explode. */
const MAX_DEPTH = 12;

/** Type alias names taken across one declarations file; keeps names unique among tools. */
export class NameRegistry {
  private readonly taken = new Set<string>();

  claim(wanted: string): string {
    let name = wanted;
    for (let n = 2; this.taken.has(name); n++) name = `${wanted}_${n}`;
    this.taken.add(name);
    return name;
  }
}

/** Prints the types of one tool's schemas; `aliases()` then gives the named types they use. */
export class SchemaPrinter {
  private readonly byPointer = new Map<string, string>();
  private readonly pending: string[] = [];

  constructor(
    private readonly root: Schema,
    private readonly prefix: string,
    private readonly names: NameRegistry,
    private readonly detail: Detail,
  ) {}

  /** The type of the root schema, laid out for `indent`. */
  rootType(indent: string): string {
    return this.type(this.root, indent, 0, new Set(['#']));
  }

  /** `type X = ...;` for every alias the printed types referred to, in the order first used. */
  aliases(): string {
    let out = '';
    for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
      const target = resolvePointer(this.root, next);
      const body = this.type(target, '', 0, new Set([next]));
      const doc = this.detail === 'full' && isObject(target) ? describe(target) : [];
      out += `${jsDoc(doc, '')}type ${this.byPointer.get(next)!} = ${body};\n`;
    }
    return out;
  }

  /**
   * `expanding`: pointers whose bodies are being written in place right here (not behind an
   * object or array). A reference back to one of them is cut: it adds nothing to a union (the
   * type is the least one that fits), and the whole schema becomes `never` only when it is
   * nothing but that reference.
   */
  private type(schema: unknown, indent: string, depth: number, expanding: ReadonlySet<string>): string {
    if (schema === true || schema === undefined) return 'unknown';
    if (schema === false) return 'never';
    if (!isObject(schema)) return 'unknown';
    const parts: string[] = [];
    let cut = false;
    if (typeof schema.$ref === 'string') {
      const target = this.reference(schema.$ref, indent, depth, expanding);
      if (target === undefined) cut = true;
      else parts.push(target);
    }
    const own = this.ownType(schema, indent, depth);
    if (own !== undefined) parts.push(own);
    for (const key of ['anyOf', 'oneOf'] as const) {
      const members = schema[key];
      if (Array.isArray(members) && members.length > 0) parts.push(union(members.map((m) => this.type(m, indent, depth, expanding))));
    }
    if (Array.isArray(schema.allOf)) for (const member of schema.allOf) parts.push(this.type(member, indent, depth, expanding));
    let meaningful = parts.filter((part) => part !== 'unknown');
    // A part that is never only because of a cut reference must not sink its siblings.
    if (meaningful.length > 1) meaningful = meaningful.filter((part) => part !== 'never');
    if (meaningful.length === 0) return cut && parts.length === 0 ? 'never' : 'unknown';
    let result = meaningful.length === 1 ? meaningful[0]! : meaningful.map(wrap).join(' & ');
    if (schema.nullable === true) result = union([result, 'null']);
    return result;
  }

  /** The type a `$ref` stands for; undefined when it comes back to a pointer being expanded. */
  private reference(ref: string, indent: string, depth: number, expanding: ReadonlySet<string>): string | undefined {
    const pointer = ref === '#' ? '#' : ref.startsWith('#/') ? ref : undefined;
    // Remote and anchor references cannot be resolved without fetching or indexing: say nothing wrong.
    if (pointer === undefined) return 'unknown';
    if (expanding.has(pointer)) return undefined;
    const target = resolvePointer(this.root, pointer);
    if (target === undefined) return 'unknown';
    // At the top of a body an alias could refer to itself through others: write the target in place.
    if (expanding.size > 0) return this.type(target, indent, depth, new Set([...expanding, pointer]));
    if (this.detail !== 'full') return 'unknown';
    const known = this.byPointer.get(pointer);
    if (known !== undefined) return known;
    const segment = pointer === '#' ? 'Root' : pointer.slice(pointer.lastIndexOf('/') + 1);
    const name = this.names.claim(`${this.prefix}_${typeNamePart(decodeSegment(segment))}`);
    this.byPointer.set(pointer, name);
    this.pending.push(pointer);
    return name;
  }

  /** The type from `const`, `enum`, `type` and the keywords that go with it; undefined when none applies. */
  private ownType(schema: { readonly [key: string]: unknown }, indent: string, depth: number): string | undefined {
    if ('const' in schema) return literal(schema.const);
    if (Array.isArray(schema.enum)) return schema.enum.length === 0 ? 'never' : union(schema.enum.map(literal));
    const types = Array.isArray(schema.type) ? schema.type : typeof schema.type === 'string' ? [schema.type] : inferTypes(schema);
    if (types.length === 0) return undefined;
    return union(types.map((type) => this.typeOf(String(type), schema, indent, depth)));
  }

  private typeOf(type: string, schema: { readonly [key: string]: unknown }, indent: string, depth: number): string {
    switch (type) {
      case 'string':
        return 'string';
      case 'number':
      case 'integer':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return this.arrayType(schema, indent, depth);
      case 'object':
        return this.objectType(schema, indent, depth);
      default:
        return 'unknown';
    }
  }

  private arrayType(schema: { readonly [key: string]: unknown }, indent: string, depth: number): string {
    // Behind an array element TypeScript defers aliases, so expansion starts afresh.
    const fresh = new Set<string>();
    const tuple = Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined;
    const rest = Array.isArray(schema.items) ? schema.additionalItems : schema.items;
    if (tuple !== undefined) {
      const min = typeof schema.minItems === 'number' ? schema.minItems : 0;
      const heads = tuple.map((item, i) => `${this.type(item, indent, depth + 1, fresh)}${i < min ? '' : '?'}`);
      if (rest !== false) heads.push(`...${wrap(this.type(rest, indent, depth + 1, fresh))}[]`);
      return `[${heads.join(', ')}]`;
    }
    return `${wrap(this.type(rest, indent, depth + 1, fresh))}[]`;
  }

  private objectType(schema: { readonly [key: string]: unknown }, indent: string, depth: number): string {
    if (depth >= MAX_DEPTH || (this.detail !== 'full' && depth >= 1)) return '{ [key: string]: unknown }';
    const fresh = new Set<string>();
    const inner = `${indent}  `;
    const properties = isObject(schema.properties) ? Object.entries(schema.properties) : [];
    const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
    let members = '';
    for (const [name, property] of properties) {
      const doc = this.detail === 'full' && isObject(property) ? jsDoc(describe(property), inner) : '';
      const type = this.type(property, inner, depth + 1, fresh);
      members += `${doc}${inner}${propertyKey(name)}${required.has(name) ? '' : '?'}: ${type};\n`;
    }
    const extra = this.extraType(schema, inner, depth, fresh);
    const shape = members === '' ? undefined : this.detail === 'full' ? `{\n${members}${indent}}` : `{ ${members.trim().replace(/;$/, '').replace(/;\n\s*/g, '; ')} }`;
    const index = extra === undefined ? undefined : `{ [key: string]: ${extra} }`;
    if (shape !== undefined && index !== undefined) return `${shape} & ${index}`;
    return shape ?? index ?? '{}';
  }

  /** The type of properties beyond `properties`: from `additionalProperties` and `patternProperties`. */
  private extraType(schema: { readonly [key: string]: unknown }, indent: string, depth: number, fresh: ReadonlySet<string>): string | undefined {
    const additional = schema.additionalProperties;
    const patterns = isObject(schema.patternProperties) ? Object.values(schema.patternProperties) : [];
    const hasProperties = isObject(schema.properties) && Object.keys(schema.properties).length > 0;
    if (additional === false) return patterns.length === 0 ? undefined : union(patterns.map((p) => this.type(p, indent, depth + 1, fresh)));
    // Absent or true beside named properties: a model needs the names, not a catch-all.
    if ((additional === undefined || additional === true) && patterns.length === 0) return hasProperties ? undefined : 'unknown';
    const types = [...patterns, ...(additional === undefined ? [] : [additional])].map((p) => this.type(p, indent, depth + 1, fresh));
    return union(types);
  }
}

/** The JSDoc lines of a schema: its title, description and the constraints a caller must meet. */
function describe(schema: { readonly [key: string]: unknown }): string[] {
  const lines: string[] = [];
  if (typeof schema.title === 'string' && schema.title !== schema.description) lines.push(schema.title);
  if (typeof schema.description === 'string') lines.push(schema.description);
  const tags: string[] = [];
  for (const key of ['format', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'minLength', 'maxLength', 'minItems', 'maxItems', 'default']) {
    if (schema[key] !== undefined && typeof schema[key] !== 'boolean') tags.push(`@${key} ${typeof schema[key] === 'string' && key !== 'default' ? schema[key] : JSON.stringify(schema[key])}`);
  }
  if (schema.deprecated === true) tags.push('@deprecated');
  return tags.length === 0 ? lines : [...lines, ...tags];
}

/** The types a schema implies without saying `type`. */
function inferTypes(schema: { readonly [key: string]: unknown }): string[] {
  if (schema.properties !== undefined || schema.additionalProperties !== undefined || schema.patternProperties !== undefined || schema.required !== undefined) return ['object'];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ['array'];
  return [];
}

/** A JSON value as a TypeScript literal type. */
function literal(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `readonly [${value.map(literal).join(', ')}]`;
  if (isObject(value)) return `{ ${Object.entries(value).map(([k, v]) => `readonly ${propertyKey(k)}: ${literal(v)}`).join('; ')} }`;
  return 'unknown';
}

function union(types: readonly string[]): string {
  const unique = [...new Set(types)].filter((type) => type !== 'never');
  if (unique.length === 0) return 'never';
  if (unique.includes('unknown')) return 'unknown';
  // `&` binds tighter than `|`, so no member of a union needs parentheses.
  return unique.join(' | ');
}

/** Parenthesizes a union or intersection so it can stand inside another, or before `[]`. */
function wrap(type: string): string {
  return type.startsWith('readonly ') || hasTopLevelOperator(type) ? `(${type})` : type;
}

/** Whether `|` or `&` joins parts of the type outside any brackets and string literals. */
function hasTopLevelOperator(type: string): boolean {
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i]!;
    if (c === '"') {
      for (i++; i < type.length && type[i] !== '"'; i++) if (type[i] === '\\') i++;
    } else if (c === '{' || c === '[' || c === '(' || c === '<') depth++;
    else if (c === '}' || c === ']' || c === ')' || c === '>') depth--;
    else if (depth === 0 && (c === '|' || c === '&')) return true;
  }
  return false;
}

function resolvePointer(root: Schema, pointer: string): unknown {
  if (pointer === '#') return root;
  let node: unknown = root;
  for (const raw of pointer.slice(2).split('/')) {
    const key = decodeSegment(raw);
    if (Array.isArray(node)) node = node[Number(key)];
    else if (isObject(node) && Object.hasOwn(node, key)) node = node[key];
    else return undefined;
  }
  return node;
}

function decodeSegment(segment: string): string {
  let text = segment;
  try {
    text = decodeURIComponent(segment);
  } catch {
    // Not percent-encoded after all: use it as written.
  }
  return text.replace(/~1/g, '/').replace(/~0/g, '~');
}

function isObject(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The source transform of a persistent cell (pure: no isolate). A persistent session keeps one
 * realm, so a cell's top-level declarations must outlive the cell: they become properties of the
 * realm's global object, which a later cell may declare again (the new declaration replaces the
 * old). The last top-level expression statement becomes the cell's return value, which the
 * bootstrap shows as the cell's result.
 *
 * The source is parsed with acorn and only edited between whole AST nodes, on the node's own
 * lines, so line numbers in stack traces stay the user's. The finished script is parsed again and
 * must be exactly one function expression: no source can close the wrapper and run outside it.
 */
import type { Node, Options, Program, Statement, Token } from 'acorn';
import { acorn } from '../acorn.js';

/** The script to compile: evaluates to the cell's async function, called with the realm helper. */
export type Transformed = { ok: true; script: string } | { ok: false; error: string };

/**
 * The helper object the bootstrap passes as the cell function's only argument (PersistHelper in
 * ../bridge.ts):
 * `declare(...names)` makes each name a writable global, keeping its value when it exists (so
 * `var x;` keeps x, and `let x = x + 1` reads the old x); `seal(...names)` makes them read-only
 * (const); `define(name, value)` declares a function.
 */

const PARSE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  sourceType: 'script',
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
  allowHashBang: false,
};

/** `using` declarations stay the cell's own: they are disposed when the cell's body ends. */
const PERSISTED_KINDS = new Set(['var', 'let', 'const']);

interface Edit {
  at: number;
  /** Characters of the source replaced from `at`. */
  length: number;
  text: string;
}

/** The wrapper's first line holds the function hoisting, so the user's line 1 is script line 2 (lineOffset -1). */
export function transformPersistentCell(source: string): Transformed {
  const names = new Set<string>();
  let program: Program;
  try {
    program = acorn().parse(source, { ...PARSE_OPTIONS, onToken: (token: Token) => collectName(token, names) });
  } catch (error) {
    return { ok: false, error: syntaxErrorText(error) };
  }
  const helper = uniqueName(names);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const body = program.body;
  body.forEach((statement, index) => {
    const last = index === body.length - 1;
    if (statement.type === 'FunctionDeclaration' && statement.id) {
      // Kept in place so it stays hoisted within the cell; mirrored to the global before any code runs.
      hoisted.push(`${helper}.define(${JSON.stringify(statement.id.name)}, ${statement.id.name});`);
    } else if (statement.type === 'ClassDeclaration' && statement.id) {
      const name = statement.id.name;
      edits.push({ at: statement.start, length: 0, text: `;${helper}.declare(${JSON.stringify(name)});${name} = ` });
      edits.push({ at: statement.end, length: 0, text: ';' });
    } else if (statement.type === 'VariableDeclaration' && PERSISTED_KINDS.has(statement.kind)) {
      declarationEdits(statement, helper, edits);
    } else if (last && statement.type === 'ExpressionStatement') {
      // The statement's own range: a parenthesized expression's node starts inside its parentheses.
      const end = source[statement.end - 1] === ';' ? statement.end - 1 : statement.end;
      edits.push({ at: statement.start, length: 0, text: ';return (' });
      edits.push({ at: end, length: 0, text: ')' });
    }
  });
  const prefix = `(async function (${helper}) { "use strict"; ${hoisted.join(' ')}\n`;
  const script = prefix + applyEdits(source, edits) + '\n})';
  return wrapperIntact(script) ? { ok: true, script } : { ok: false, error: 'SyntaxError: the cell does not parse as one program' };
}

/** `const a = 1, {b} = c;` → `;h.declare("a","b");(a = 1, {b} = c);h.seal("a","b");` */
function declarationEdits(statement: Extract<Statement, { type: 'VariableDeclaration' }>, helper: string, edits: Edit[]): void {
  const bound: string[] = [];
  for (const declarator of statement.declarations) boundNames(declarator.id, bound);
  const list = bound.map((name) => JSON.stringify(name)).join(',');
  const first = statement.declarations[0]!;
  const lastDeclarator = statement.declarations[statement.declarations.length - 1]!;
  edits.push({ at: statement.start, length: first.start - statement.start, text: `;${helper}.declare(${list});(` });
  for (const declarator of statement.declarations) {
    // `let x;` resets x like a fresh binding would; `var x;` keeps it, as in a script.
    if (declarator.init === null && declarator.id.type === 'Identifier') {
      edits.push({ at: declarator.id.end, length: 0, text: statement.kind === 'var' ? '' : ' = void 0' });
    }
  }
  const seal = statement.kind === 'const' ? `;${helper}.seal(${list})` : '';
  edits.push({ at: lastDeclarator.end, length: 0, text: `)${seal};` });
}

/** The names a binding pattern binds, in source order. */
function boundNames(pattern: Node, out: string[]): void {
  const node = pattern as Node & Record<string, unknown>;
  switch (node.type) {
    case 'Identifier':
      out.push(node.name as string);
      break;
    case 'ObjectPattern':
      for (const property of node.properties as Array<Node & Record<string, unknown>>) {
        boundNames((property.type === 'RestElement' ? property.argument : property.value) as Node, out);
      }
      break;
    case 'ArrayPattern':
      for (const element of node.elements as Array<Node | null>) if (element !== null) boundNames(element, out);
      break;
    case 'RestElement':
      boundNames(node.argument as Node, out);
      break;
    case 'AssignmentPattern':
      boundNames(node.left as Node, out);
      break;
  }
}

function applyEdits(source: string, edits: Edit[]): string {
  const sorted = edits.map((edit, order) => ({ ...edit, order })).sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let from = 0;
  for (const edit of sorted) {
    out += source.slice(from, edit.at) + edit.text;
    from = edit.at + edit.length;
  }
  return out + source.slice(from);
}

function collectName(token: Token, names: Set<string>): void {
  // Acorn's Token carries the decoded name in `value`, which its typings omit.
  if (token.type === acorn().tokTypes.name || token.type.keyword !== undefined) names.add(String((token as Token & { value: unknown }).value));
}

/** A helper name no identifier of the cell spells, so the cell cannot shadow or name it. */
function uniqueName(names: Set<string>): string {
  for (let n = 0; ; n++) {
    const name = `$codemode${n}`;
    if (!names.has(name)) return name;
  }
}

/** The script is one expression statement, the wrapper function, and nothing else. */
function wrapperIntact(script: string): boolean {
  let program: Program;
  try {
    program = acorn().parse(script, { ecmaVersion: 'latest', sourceType: 'script', allowHashBang: false });
  } catch {
    return false;
  }
  const [only] = program.body;
  return (
    program.body.length === 1 &&
    only?.type === 'ExpressionStatement' &&
    only.expression.type === 'FunctionExpression' &&
    only.expression.start === 1 &&
    only.expression.end === script.length - 1
  );
}

/** Acorn's message; the realm shows V8's own instead whenever V8 rejects the source too. */
function syntaxErrorText(error: unknown): string {
  return `SyntaxError: ${error instanceof Error ? error.message : String(error)}`;
}

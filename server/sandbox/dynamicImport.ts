/**
 * A cell has no modules: a static `import` fails the cell with `Unsupported import in cell:
 * <specifier>` (compile.ts). A dynamic `import(specifier)` compiles, and V8 would reject it with
 * a bare `Not supported`; so each one is rewritten into a call that rejects with the same text.
 *
 * Pure (no isolate): the source is parsed with acorn only when it holds the word `import`, and
 * only the `import` keyword of each import expression is replaced, by a function expression, so
 * the result is still one expression where there was one. A source acorn cannot parse is returned
 * unchanged: it fails to compile later with V8's own error. The replacement uses no helper and no
 * global but Error: the cell reaches nothing new.
 */
import type { Node } from 'acorn';
import { acorn } from './acorn.js';

const MAY_IMPORT = /\bimport\b/;

// Template literal: the specifier is converted as import() converts it (ToString).
const REJECT = '(async (specifier) => { throw new Error(`Unsupported import in cell: ${specifier}`); })';

export function rejectDynamicImports(source: string): string {
  if (!MAY_IMPORT.test(source)) return source;
  let program: Node;
  try {
    program = acorn().parse(source, {
      ecmaVersion: 'latest',
      sourceType: 'script',
      allowAwaitOutsideFunction: true,
      allowReturnOutsideFunction: true,
      allowHashBang: false,
    });
  } catch {
    return source;
  }
  const starts = importExpressionStarts(program);
  if (starts.length === 0) return source;
  starts.sort((a, b) => a - b);
  let out = '';
  let at = 0;
  for (const start of starts) {
    out += source.slice(at, start) + REJECT;
    at = start + 'import'.length;
  }
  return out + source.slice(at);
}

/** Where each ImportExpression starts (at its `import` keyword). Iterative: an AST may be deep. */
function importExpressionStarts(program: Node): number[] {
  const starts: number[] = [];
  const stack: unknown[] = [program];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) {
      for (const item of value) stack.push(item);
    } else if (isNode(value)) {
      if (value.type === 'ImportExpression') starts.push(value.start);
      for (const [key, child] of Object.entries(value)) {
        if (key !== 'loc' && child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
  return starts;
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

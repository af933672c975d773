/**
 * Compiling a cell. The source runs as the body of a strict async function, not as an ES module:
 * isolated-vm never exposes a module's top-level-await promise, so a module's completion could not
 * be observed. The function body gives the same top-level `await`, strictness and `this`.
 *
 * The source must not be able to close that function and run at script top level. So it is first
 * parsed on its own as a function body inside the isolate (the Function constructor's rule: a body
 * that ends the function early is a SyntaxError); only a source that passes is placed in the
 * wrapper. Both steps run in the cell's isolate after its limits are armed, so a huge or
 * pathological source is bounded by its CPU, wall and heap limits like any other cell code.
 */
import type ivm from 'isolated-vm';
import { isolateErrorText } from './errors.js';
import type { CellBody } from './bridge.js';
import { rejectDynamicImports } from './dynamicImport.js';
import type { PreparedIsolate } from './prepared.js';

export type Compiled = { ok: true; body: ivm.Reference<CellBody> } | { ok: false; error: string };

// On its own line so that lineOffset -1 makes the user's lines and columns match the stack.
const PREFIX = '(async function () { "use strict";\n';
// On its own line so that a trailing line comment cannot swallow it.
const SUFFIX = '\n})';

/** Compiles `source` in the prepared isolate and returns a Reference to the cell's (not yet called) async function. */
export async function compileCell(prepared: PreparedIsolate, source: string, filename: string): Promise<Compiled> {
  const { isolate, context } = prepared;
  const body = rejectDynamicImports(source);
  const bodyError = await bodyErrorOf(prepared, body, filename);
  let script: ivm.Script;
  try {
    script = await isolate.compileScript(PREFIX + body + SUFFIX, { filename, lineOffset: -1 });
  } catch (error) {
    return { ok: false, error: await explainSyntaxError(isolate, source, filename, error) };
  }
  if (bodyError !== null) {
    script.release();
    return { ok: false, error: bodyError };
  }
  return { ok: true, body: await script.run(context, { reference: true, release: true }) };
}

/**
 * Why `source` is not the body of a function, or null when it is: parsed in the isolate (limits
 * armed) by the Function constructor's rule, so a source that would close its wrapper is caught.
 */
export async function bodyErrorOf(prepared: PreparedIsolate, source: string, filename: string): Promise<string | null> {
  const bodyError: unknown = await prepared.check.apply(undefined, [source], { result: { copy: true } });
  return typeof bodyError === 'string' ? `${bodyError} [${filename}: the source must be the body of a function]` : null;
}

/**
 * V8's own text for a source that does not compile as a cell, or null when it compiles. Compiling
 * runs nothing, so this is safe on any source; persistent cells use it so that their syntax errors
 * read as ordinary cells' do.
 */
export async function syntaxErrorOf(isolate: ivm.Isolate, source: string, filename: string): Promise<string | null> {
  try {
    const script = await isolate.compileScript(PREFIX + source + SUFFIX, { filename, lineOffset: -1 });
    script.release();
    return null;
  } catch (error) {
    return explainSyntaxError(isolate, source, filename, error);
  }
}

/**
 * Compiles a script that is already one function expression with the user's first line on its
 * second line (realm/transform.ts checked that shape), and returns a Reference to that function.
 */
export async function compileWrapped(context: ivm.Context, script: string, filename: string): Promise<Compiled> {
  // One crossing to the isolate thread for compile and run: running the checked script only
  // creates the function.
  try {
    const body = (await context.eval(script, { filename, lineOffset: -1, reference: true })) as ivm.Reference<CellBody>;
    return { ok: true, body };
  } catch (error) {
    return { ok: false, error: isolateErrorText(error) };
  }
}

/**
 * `import`/`export` are syntax errors in a function body. Compiling the source as a module (never
 * instantiated, so no resolver runs: isolated-vm #559) tells an import apart from other errors.
 */
async function explainSyntaxError(isolate: ivm.Isolate, source: string, filename: string, error: unknown): Promise<string> {
  const text = isolateErrorText(error);
  let module: ivm.Module;
  try {
    module = await isolate.compileModule(source, { filename });
  } catch {
    return text;
  }
  try {
    const [specifier] = module.dependencySpecifiers;
    if (specifier !== undefined) return `Unsupported import in cell: ${specifier}`;
    if (/\bexport\b/.test(text)) return `Unsupported export in cell: ${text}`;
    return text;
  } finally {
    module.release();
  }
}

/**
 * `--tools <module>`: an ES module whose exported functions become the cell's `tools.<name>`.
 * Each export `f` is offered as `{name, description: f.description ?? a default}` and called as
 * `f(input, {signal})`; its result resolves the cell's promise, a throw rejects it with the message.
 */
import { basename, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ToolCall, ToolDefinition } from '../index.js';
import { firstLine, UsageError } from './usageError.js';

type ToolFunction = ((input: unknown, context: { signal: AbortSignal }) => unknown) & { description?: unknown };

/** The tools a command offers its cells. */
export interface ToolBox {
  readonly definitions: ToolDefinition[];
  invoke(call: ToolCall, signal: AbortSignal): Promise<unknown>;
}

/** No `--tools`: the cell sees an empty `tools`, so no call can arrive. */
export const NO_TOOLS: ToolBox = {
  definitions: [],
  invoke: (call) => Promise.reject(new Error(`no tool named ${call.tool.name}`)),
};

/** Imports the module at `path` (relative to `cwd`); a module that fails to load or exports no function is a UsageError. */
export async function loadTools(path: string, cwd: string): Promise<ToolBox> {
  const file = resolve(cwd, path);
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`cannot load tools module ${path}: ${loadFailure(error, file)}`);
  }
  // A default export has no name a cell could call it by.
  const functions = new Map(
    Object.entries(module).filter((entry): entry is [string, ToolFunction] => entry[0] !== 'default' && typeof entry[1] === 'function'),
  );
  if (functions.size === 0) throw new UsageError(`tools module ${path} exports no functions`);
  const name = basename(path);
  return {
    definitions: [...functions].map(([name, f]) => ({
      name,
      description: typeof f.description === 'string' ? f.description : `Calls ${name}() exported by ${name}.`,
    })),
    async invoke(call, signal) {
      const f = functions.get(call.tool.name);
      if (f === undefined) throw new Error(`no tool named ${call.tool.name} in ${name}`);
      return f(call.input, { signal });
    },
  };
}

/** Why the import failed, in one line; Node's own "Cannot find module ... imported from ..." names this CLI's file. */
function loadFailure(error: unknown, file: string): string {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'ERR_MODULE_NOT_FOUND' && message?.includes(`'${file}'`)) return 'no such file';
  return firstLine(message ?? String(error));
}

/**
 * The bench-only package under bench/peers/tanstack/: TanStack AI's code mode and its isolated-vm
 * driver, which depends on a second native isolated-vm (6.x), so it stays out of the project's own
 * install. `make bench` installs it; the peers table names the command when it is missing. This
 * file is its one boundary: where it is, whether it is installed, and the types of what it exports.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** From dist/bench/peers/ back to the source tree, where the package and its node_modules live. */
const DIR = fileURLToPath(new URL('../../../bench/peers/tanstack/', import.meta.url));
/** Written by the Makefile once `npm ci` has finished there. */
export const TANSTACK_STAMP = join(DIR, 'node_modules', '.install-stamp');
export const TANSTACK_INSTALL = 'make install-bench-peers';
/** The peer system the package provides (tanstack.ts). */
export const TANSTACK = 'TanStack ai-code-mode in-process';

export const tanstackInstalled = (): boolean => existsSync(TANSTACK_STAMP);

/** What runs inside the isolate: ai-code-mode's view of a driver's context. */
export interface IsolateContext {
  execute(code: string): Promise<unknown>;
  dispose(): Promise<void>;
}

/** Creates one context per execute; its config (bindings, limits) is ai-code-mode's to pass through. */
export interface IsolateDriver {
  createContext(config: object): Promise<IsolateContext>;
}

/** A tool with its implementation (`@tanstack/ai`'s ServerTool), opaque here. */
export interface ServerTool {
  readonly name: string;
}

export interface CodeModeResult {
  success: boolean;
  result?: unknown;
  error?: { message: string; name?: string };
}

/** The `execute_typescript` tool a model calls; the bench calls its `execute` as the chat loop would. */
export interface CodeModeTool {
  execute(input: { typescriptCode: string }): Promise<CodeModeResult>;
}

export interface TanStackApi {
  createNodeIsolateDriver(config?: { memoryLimit?: number; timeout?: number }): IsolateDriver;
  createCodeModeTool(config: { driver: IsolateDriver; tools: ServerTool[] }): CodeModeTool;
  toolDefinition(definition: { name: string; description: string; inputSchema: object }): {
    server(execute: (input: unknown) => Promise<unknown>): ServerTool;
  };
}

export async function loadTanStack(): Promise<TanStackApi> {
  if (!tanstackInstalled()) throw new Error(`the TanStack peer is not installed: ${TANSTACK_INSTALL}`);
  return (await import(pathToFileURL(join(DIR, 'index.mjs')).href)) as TanStackApi;
}

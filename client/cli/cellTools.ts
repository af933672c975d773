/**
 * The tools a command offers its cells: exports of `--tools <module>` (called `tools.<export>`)
 * and the MCP servers of `--mcp-config <file>` (called `tools.<server>__<tool>`). MCP servers that
 * fail to start are reported on stderr; the others are used.
 */
import { resolve } from 'node:path';
import { McpConfigError, readMcpConfig } from '../mcp/config.js';
import type { McpTools } from '../mcp/mcpTools.js';
import type { CliContext } from './context.js';
import { loadTools, NO_TOOLS, type ToolBox } from './toolsModule.js';
import { UsageError } from './usageError.js';

/** A ToolBox that may hold MCP servers, and so must be closed. */
export interface CellTools extends ToolBox {
  readonly mcp: McpTools | undefined;
  close(): Promise<void>;
}

export async function loadCellTools(options: { tools?: string | undefined; mcpConfig?: string | undefined }, context: CliContext): Promise<CellTools> {
  const module = options.tools === undefined ? NO_TOOLS : await loadTools(options.tools, context.cwd);
  const mcp = options.mcpConfig === undefined ? undefined : await connectMcp(options.mcpConfig, context);
  return {
    mcp,
    get definitions() {
      return mcp === undefined ? module.definitions : [...module.definitions, ...mcp.definitions()];
    },
    // MCP tools carry their server's name as namespace; a module's exports have none.
    invoke: (call, signal) => (mcp !== undefined && call.tool.namespace !== null ? mcp.invokeTool(call, signal) : module.invoke(call, signal)),
    close: async () => mcp?.close(),
  };
}

/**
 * Connects the configured servers; a bad configuration is a usage error, a server that does not
 * start a warning. With `forwardStderr` each server's stderr lines go to ours as `[name] line`.
 */
export async function connectMcp(path: string, context: CliContext, forwardStderr = false): Promise<McpTools> {
  let servers;
  try {
    servers = readMcpConfig(resolve(context.cwd, path));
  } catch (error) {
    if (error instanceof McpConfigError) throw new UsageError(error.message.replace(resolve(context.cwd, path), path));
    throw error;
  }
  // Loaded only when asked for: the MCP SDK is not worth loading for every command.
  const { McpTools } = await import('../mcp/mcpTools.js');
  const mcp = await McpTools.connect(servers, forwardStderr ? { onStderr: (server, line) => context.io.stderr.write(`[${server}] ${line}\n`) } : {});
  for (const failure of mcp.failures) context.io.stderr.write(`codemode: ${failure.message}\n`);
  return mcp;
}

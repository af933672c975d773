/**
 * `codemode-host/mcp`: MCP servers as a cell's tools (see docs/mcp.md).
 *
 *   const mcp = await McpTools.connect(readMcpConfig('mcp.json'));
 *   const client = new CodeModeClient({ delegate: { invokeTool: mcp.invokeTool } });
 *   await session.execute({ source, tools: mcp.definitions() });
 */
export { McpConfigError, parseMcpConfig, readMcpConfig } from './config.js';
export type { HttpServerConfig, McpServerConfig, StdioServerConfig } from './config.js';
export { McpTools } from './mcpTools.js';
export type { McpToolsOptions } from './mcpTools.js';
export { McpServerError } from './serverConnection.js';
export { McpToolError, toolResultValue, UNTYPED_RESULT } from './toolResult.js';
export { serveCodeMode } from './codeModeServer.js';
export type { CodeModeServerOptions } from './codeModeServer.js';

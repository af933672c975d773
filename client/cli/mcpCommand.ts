/** `codemode mcp --mcp-config <file>`: code mode as an MCP server on stdio (docs/mcp.md). */
import { connectMcp } from './cellTools.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exitCodes.js';
import { parseCommandLine } from './options.js';
import { UsageError } from './usageError.js';

export const MCP_HELP = `Usage: codemode mcp [--mcp-config <file>]

Serves code mode as an MCP server on stdin and stdout, for an MCP client (a desktop app, an agent).
Its tools: execute (run JavaScript or TypeScript whose tools.<server>__<tool>(input) call the MCP
servers of --mcp-config), wait (for a cell still running) and terminate. Each connection has its
own session: store(key, value) in one execute, load(key) in the next. Logs, and the servers'
stderr lines as [server] line, go to stderr.

Options:
  --mcp-config <file>   MCP servers, in the {"mcpServers": {...}} format MCP clients use
  -h, --help            print this help

See docs/mcp.md.`;

export async function mcpCommand(argv: readonly string[], context: CliContext): Promise<number> {
  const { options, positionals } = parseCommandLine(argv, ['mcp-config']);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const configPath = options['mcp-config'];
  // Loaded here, not at start-up: other commands do without the MCP SDK.
  const [{ StdioServerTransport }, { serveCodeMode }, { McpTools }] = await Promise.all([
    import('@modelcontextprotocol/sdk/server/stdio.js'),
    import('../mcp/codeModeServer.js'),
    import('../mcp/mcpTools.js'),
  ]);
  const tools = configPath === undefined ? await McpTools.connect([]) : await connectMcp(configPath, context, true);
  try {
    const transport = new StdioServerTransport(context.io.stdin as NodeJS.ReadStream, context.io.stdout as NodeJS.WriteStream);
    // The SDK's stdio transport does not watch for the end of its input: the client leaving is the end of the service.
    context.io.stdin.once('end', () => void transport.close());
    await serveCodeMode({
      mcp: tools,
      transport,
      onHostStderr: (line) => context.io.stderr.write(`codemode-host: ${line}\n`),
    });
    return ExitCode.ok;
  } finally {
    await tools.close();
  }
}

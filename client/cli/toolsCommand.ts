/** `codemode tools [--tools <module>] [--mcp-config <file>] [--detail full|compact|names|auto]`: prints what a cell sees, as TypeScript. */
import type { ToolDefinition } from '../../schemas/index.js';
import { toolDeclarations } from '../declarations/toolDeclarations.js';
import { UNTYPED_RESULT } from '../mcp/toolResult.js';
import { loadCellTools } from './cellTools.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exitCodes.js';
import { parseCommandLine } from './options.js';
import { UsageError } from './usageError.js';

export const TOOLS_HELP = `Usage: codemode tools [--tools <module>] [--mcp-config <file>] [--detail <level>]

Prints TypeScript declarations of the globals a cell sees: tools.<name>(input) for each tool, with
its input and result types from the tools' JSON Schemas, and text, image, store, load and the rest.
Put them in a model's prompt.

Options:
  --tools <module>      an ES module whose exported functions become tools.<exportName>
  --mcp-config <file>   MCP servers ({"mcpServers": {...}}) whose tools become tools.<server>__<tool>
  --detail <level>      full, compact (one line per tool), names (names and first sentences) or
                        auto (default: the most detailed that fits in 24000 characters)
  -h, --help            print this help`;

const LEVELS = ['full', 'compact', 'names', 'auto'] as const;

export async function toolsCommand(argv: readonly string[], context: CliContext): Promise<number> {
  const { options, positionals } = parseCommandLine(argv, ['tools', 'mcp-config', 'detail']);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const detail = options.detail ?? 'auto';
  if (!(LEVELS as readonly string[]).includes(detail)) throw new UsageError(`--detail takes one of ${LEVELS.join(', ')}, got ${JSON.stringify(detail)}`);
  const tools = await loadCellTools({ tools: options.tools, mcpConfig: options['mcp-config'] }, context);
  try {
    // MCP definitions' descriptions repeat their declarations (for ALL_TOOLS): declare from the servers' own.
    const mcp = tools.mcp;
    const definitions = mcp === undefined ? tools.definitions : [...tools.definitions.filter((d) => d.namespace === undefined), ...mcp.plainDefinitions()];
    const untypedResult = (tool: ToolDefinition) => (tool.namespace === undefined ? 'unknown' : UNTYPED_RESULT);
    context.io.stdout.write(toolDeclarations(definitions, { detail: detail as (typeof LEVELS)[number], untypedResult }));
    return ExitCode.ok;
  } finally {
    await tools.close();
  }
}

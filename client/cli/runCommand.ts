/** `codemode run <file> [--tools <module>] [--mcp-config <file>] [--yield-ms N] [--timeout-ms N]`. */
import { readCellFile } from './cellFile.js';
import { loadCellTools } from './cellTools.js';
import type { CliContext } from './context.js';
import { parseCommandLine, positiveInteger } from './options.js';
import { runCell } from './runCell.js';
import { UsageError } from './usageError.js';

export const RUN_HELP = `Usage: codemode run <file.js|file.ts> [options]

Runs the file as one cell (TypeScript for .ts, .mts and .cts), printing its output as it
streams: text items as lines, images as [image <mime>, N bytes]. Waits through yields until the
cell ends, then prints its status on stderr: completed, failed: <error>, or terminated.

Options:
  --tools <module>   an ES module whose exported functions become tools.<exportName>
  --mcp-config <f>   MCP servers ({"mcpServers": {...}}) whose tools become tools.<server>__<tool>
  --yield-ms N       length of each observation window, in ms (host default 10000)
  --timeout-ms N     terminate the cell if it has not ended after N ms
  -h, --help         print this help

Exit status: 0 completed, 1 failed or terminated, 2 usage error, 130 interrupted (Ctrl-C).`;

export async function runCommand(argv: readonly string[], context: CliContext): Promise<number> {
  const { options, positionals } = parseCommandLine(argv, ['tools', 'mcp-config', 'yield-ms', 'timeout-ms']);
  const [file, ...extra] = positionals;
  if (file === undefined) throw new UsageError('missing the cell file to run');
  if (extra.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}: run takes one file`);
  const yieldTimeMs = positiveInteger('yield-ms', options['yield-ms']);
  const timeoutMs = positiveInteger('timeout-ms', options['timeout-ms']);
  const cell = await readCellFile(file, context.cwd);
  const tools = await loadCellTools({ tools: options.tools, mcpConfig: options['mcp-config'] }, context);
  try {
    return await runCell(context, { ...cell, tools: tools.definitions }, tools, { yieldTimeMs, timeoutMs });
  } finally {
    await tools.close();
  }
}

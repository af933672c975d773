/** `codemode repl [--tools <module>] [--mcp-config <file>]`: an interactive prompt where each entry is a cell of one session. */
import { createInterface } from 'node:readline';
import { CodeModeClient } from '../../index.js';
import { cliDelegate } from '../cliDelegate.js';
import type { CliContext } from '../context.js';
import { parseCommandLine } from '../options.js';
import { OutputPrinter } from '../outputPrinter.js';
import { loadCellTools } from '../cellTools.js';
import { UsageError } from '../usageError.js';
import { DOT_HELP } from './dotCommand.js';
import { HISTORY_SIZE, HistoryFile, joinHistoryEntry } from './history.js';
import { PromptOutput } from './promptOutput.js';
import { Repl } from './repl.js';

export const REPL_HELP = `Usage: codemode repl [--tools <module>] [--mcp-config <file>]

An interactive prompt: each entry is a cell of one persistent session, its output printed as it
streams; variables persist between entries and the value of the last expression is printed.
Tab completes global names.
A cell that yields goes on in the background: [cell N yielded; .wait N to continue].
Off a terminal (piped input) entries are read line by line the same way, after a plain "> ".

${DOT_HELP}

Options:
  --tools <module>   an ES module whose exported functions become tools.<exportName>
  --mcp-config <f>   MCP servers ({"mcpServers": {...}}) whose tools become tools.<server>__<tool>
  -h, --help         print this help

History is kept in ~/.codemode_history; set CODEMODE_HISTORY to another file, or empty to keep none.`;

export async function replCommand(argv: readonly string[], context: CliContext): Promise<number> {
  const { options, positionals } = parseCommandLine(argv, ['tools', 'mcp-config']);
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  const tools = await loadCellTools({ tools: options.tools, mcpConfig: options['mcp-config'] }, context);
  const { io } = context;
  const terminal = isTty(io.stdin) && isTty(io.stdout);
  // History only means something at a terminal; piped sessions must not rewrite the user's file.
  const history = terminal ? HistoryFile.fromEnv(context.env) : undefined;
  const rl = createInterface({
    input: io.stdin,
    output: terminal ? io.stdout : undefined,
    terminal,
    completer: (line: string, callback: (error: null, result: [string[], string]) => void) => {
      // Only called on Tab, once the REPL below exists.
      void repl.globalNames.complete(line).then((result) => callback(null, result));
    },
    history: history?.load() ?? [],
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  if (history !== undefined) rl.on('history', (lines) => history.save(lines));
  const output = new PromptOutput(rl, io, terminal);
  const printer = new OutputPrinter((line) => output.out(line));
  // readline records each line it reads; a multi-line entry becomes one entry, for Up to bring back whole.
  const rememberEntry = (lines: readonly string[]) => {
    const recorded = (rl as unknown as { history?: unknown }).history;
    if (!terminal || !Array.isArray(recorded)) return;
    joinHistoryEntry(recorded as string[], lines);
    history?.save(recorded as string[]);
  };
  const repl = new Repl({
    connect: (onCellClosed, quiet) => new CodeModeClient({ delegate: cliDelegate(tools, printer, output, onCellClosed, quiet) }),
    rememberEntry,
    rl,
    output,
    printer,
    tools,
  });
  const unsubscribe = context.interrupts(() => repl.interrupt());
  try {
    return await repl.run();
  } finally {
    output.end();
    rl.close();
    await repl.close();
    unsubscribe();
    await tools.close();
  }
}

function isTty(stream: NodeJS.ReadableStream | NodeJS.WritableStream): boolean {
  return (stream as { isTTY?: boolean }).isTTY === true;
}

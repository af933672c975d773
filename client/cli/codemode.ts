/** The `codemode` command: dispatches to a subcommand and turns its failures into exit statuses. */
import type { CliContext } from './context.js';
import { ExitCode } from './exitCodes.js';
import { MCP_HELP, mcpCommand } from './mcpCommand.js';
import { REPL_HELP, replCommand } from './repl/replCommand.js';
import { RUN_HELP, runCommand } from './runCommand.js';
import { TOOLS_HELP, toolsCommand } from './toolsCommand.js';
import { TRANSCRIPT_HELP, transcriptCommand, TranscriptsUnavailableError } from './transcriptCommands.js';
import { UsageError } from './usageError.js';
import { cliVersion } from './version.js';

const HELP = `Usage: codemode <command> [options]

Runs JavaScript and TypeScript cells in V8 isolates through the code-mode host.

Commands:
  run <file>   run a file as one cell and print its output
  repl         an interactive prompt; each entry is a cell of one session
  tools        print TypeScript declarations of the tools and globals a cell sees
  mcp          serve code mode as an MCP server on stdio (tools execute, wait, terminate)
  record       record a client/host conversation as a transcript
  replay       replay transcripts against a host

Options:
  -h, --help     print this help (codemode <command> --help: that command's)
  -v, --version  print the version

See docs/client.md and docs/mcp.md.`;

type Command = (argv: string[], context: CliContext) => Promise<number>;

const COMMANDS: Record<string, { run: Command; help: string }> = {
  run: { run: runCommand, help: RUN_HELP },
  repl: { run: replCommand, help: REPL_HELP },
  tools: { run: toolsCommand, help: TOOLS_HELP },
  mcp: { run: mcpCommand, help: MCP_HELP },
  record: { run: (argv, context) => transcriptCommand('record', argv, context.io), help: TRANSCRIPT_HELP },
  replay: { run: (argv, context) => transcriptCommand('replay', argv, context.io), help: TRANSCRIPT_HELP },
};

export async function codemode(argv: readonly string[], context: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  const { stdout, stderr } = context.io;
  if (name === undefined) {
    stderr.write('codemode: missing command (see codemode --help)\n');
    return ExitCode.usage;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    stdout.write(`${HELP}\n`);
    return ExitCode.ok;
  }
  if (name === '--version' || name === '-v') {
    stdout.write(`codemode ${cliVersion()}\n`);
    return ExitCode.ok;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) {
    stderr.write(`codemode: unknown command ${JSON.stringify(name)} (see codemode --help)\n`);
    return ExitCode.usage;
  }
  // record and replay parse their own options; their help is answered here, before `--`.
  const beforeSeparator = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeSeparator.includes('--help') || beforeSeparator.includes('-h')) {
    stdout.write(`${command.help}\n`);
    return ExitCode.ok;
  }
  try {
    return await command.run(rest, context);
  } catch (error) {
    if (error instanceof UsageError) {
      stderr.write(`codemode ${name}: ${error.message} (see codemode ${name} --help)\n`);
      return ExitCode.usage;
    }
    if (error instanceof TranscriptsUnavailableError) {
      stderr.write(`${error.message}\n`);
      return ExitCode.failed;
    }
    throw error;
  }
}

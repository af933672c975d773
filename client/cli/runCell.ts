/**
 * `codemode run`'s work once the command line is understood: one client, one session, one cell
 * observed until it ends, then the status on stderr. Ctrl-C and `--timeout-ms` stop the cell;
 * the client is closed (no host left behind) on every path.
 */
import { AbortedError, CodeModeClient, CodeModeError, type CellResponse, type CodeModeSession, type ExecuteRequest } from '../index.js';
import { statusLine, succeeded } from './cellStatus.js';
import { cliDelegate } from './cliDelegate.js';
import type { CliContext } from './context.js';
import { ExitCode } from './exitCodes.js';
import { plainOutput } from './lineOutput.js';
import { OutputPrinter } from './outputPrinter.js';
import type { ToolBox } from './toolsModule.js';

/** Why the cell was stopped from outside. */
type Stop = { kind: 'interrupt' } | { kind: 'timeout'; ms: number };

export interface RunOptions {
  yieldTimeMs: number | undefined;
  timeoutMs: number | undefined;
}

export async function runCell(context: CliContext, request: ExecuteRequest, tools: ToolBox, options: RunOptions): Promise<number> {
  const output = plainOutput(context.io);
  const printer = new OutputPrinter(output.out);
  const client = new CodeModeClient({ delegate: cliDelegate(tools, printer, output) });
  const stopper = new AbortController();
  const stop = (why: Stop) => {
    if (!stopper.signal.aborted) stopper.abort(why);
  };
  const unsubscribe = context.interrupts(() => stop({ kind: 'interrupt' }));
  const { timeoutMs } = options;
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => stop({ kind: 'timeout', ms: timeoutMs }), timeoutMs);
  try {
    const ended = await observeToEnd(client, request, options.yieldTimeMs, stopper.signal, printer);
    const stopped = stopper.signal.aborted ? (stopper.signal.reason as Stop) : undefined;
    // No final observation means the stop came before the first one; the client terminates that cell.
    const line = ended === undefined ? 'terminated' : (statusLine(ended) ?? 'terminated');
    output.err(stopped?.kind === 'timeout' && line === 'terminated' ? `terminated: timed out after ${stopped.ms} ms` : line);
    if (stopped?.kind === 'interrupt') return ExitCode.interrupted;
    return ended !== undefined && succeeded(ended) ? ExitCode.ok : ExitCode.failed;
  } catch (error) {
    if (!(error instanceof CodeModeError)) throw error;
    output.err(`codemode run: ${error.message}`);
    return ExitCode.failed;
  } finally {
    clearTimeout(timer);
    await client.close();
    // Only now: a second Ctrl-C while the host stops must not kill the CLI and orphan it.
    unsubscribe();
  }
}

/** The cell's final observation; undefined when `signal` stopped it before its first one. */
async function observeToEnd(
  client: CodeModeClient,
  request: ExecuteRequest,
  yieldTimeMs: number | undefined,
  signal: AbortSignal,
  printer: OutputPrinter,
): Promise<CellResponse | undefined> {
  let session: CodeModeSession | undefined;
  let cellId: string | undefined;
  try {
    session = await client.openSession({}, { signal });
    let response = await session.execute({ ...request, yieldTimeMs }, { signal });
    for (;;) {
      printer.observed(response);
      cellId = response.cellId;
      if (response.status !== 'yielded') return response;
      response = await session.wait(cellId, { yieldTimeMs }, { signal });
    }
  } catch (error) {
    if (!(error instanceof AbortedError) || !signal.aborted) throw error;
    // An aborted execute is terminated by the client itself; an aborted wait leaves the cell running.
    if (session === undefined || cellId === undefined) return undefined;
    const ended = await session.terminate(cellId);
    printer.observed(ended);
    return ended;
  }
}

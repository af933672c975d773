/**
 * The REPL loop: input lines are queued and handled one at a time, so an entry typed (or piped)
 * while a cell runs waits its turn. Each entry is a cell of one persistent session, so variables
 * live on between entries; a cell that yields goes on in the background, its output still
 * streaming, until `.wait` or `.terminate` picks it up (until then the session is busy).
 */
import type { Interface } from 'node:readline';
import {
  AbortedError,
  CodeModeError,
  RpcError,
  type CellClosedEvent,
  type CellResponse,
  type CodeModeClient,
  type CodeModeSession,
  type SessionResetEvent,
} from '../../index.js';
import { ErrorCode } from '../../../schemas/index.js';
import { statusLine, succeeded } from '../cellStatus.js';
import { ExitCode } from '../exitCodes.js';
import type { OutputPrinter } from '../outputPrinter.js';
import type { ToolBox } from '../toolsModule.js';
import { DOT_HELP, parseDotCommand, type DotCommand } from './dotCommand.js';
import { EntryBuffer } from './entryBuffer.js';
import { GlobalNames } from './globalNames.js';
import type { PromptOutput } from './promptOutput.js';

type ReplInput = { kind: 'line'; text: string } | { kind: 'end' };

/** What an entry asks of a cell. */
type Observation = { kind: 'execute'; source: string } | { kind: 'wait'; cellId: string } | { kind: 'terminate'; cellId: string };

/**
 * - reading: no entry runs. After a Ctrl-C at an empty prompt `armed` says what a second one does:
 *   exit, or terminate the background cell `cellId`; `false` when nothing is armed.
 * - running: an entry runs (or the session opens); Ctrl-C aborts `stop`.
 * - exiting: leaving; input and notices are ignored.
 */
type Armed = false | { kind: 'exit' } | { kind: 'stop'; cellId: string };
type ReplState =
  | { kind: 'reading'; armed: Armed }
  | { kind: 'running'; stop: AbortController }
  | { kind: 'exiting' };

export interface ReplParts {
  /** Makes the REPL's client, whose delegate reports closed cells to `onCellClosed` and prints no output of a `quiet` cell. */
  connect(onCellClosed: (event: CellClosedEvent) => void, quiet: (cellId: string) => boolean): CodeModeClient;
  /** An entry of several lines was submitted: history should keep it as one entry. */
  rememberEntry(lines: readonly string[]): void;
  rl: Interface;
  output: PromptOutput;
  printer: OutputPrinter;
  tools: ToolBox;
}

export class Repl {
  private state: ReplState = { kind: 'reading', armed: false };
  private readonly client: CodeModeClient;
  private session: CodeModeSession | undefined;
  private readonly queue: ReplInput[] = [];
  private pumping = false;
  private readonly entry = new EntryBuffer();
  /** Cells that yielded and are not being observed: their end is announced. */
  private readonly background = new Set<string>();
  private readonly exited: Promise<number>;
  /** Resolved at the next `cellClosed` of the session. */
  private closeWaiters: (() => void)[] = [];
  /** Tab completion; readline asks it through the completer given at its creation. */
  readonly globalNames = new GlobalNames(
    () => this.session,
    () => this.state.kind === 'reading' && this.background.size === 0,
  );
  private finish: (code: number) => void = () => undefined;
  private fail: (error: unknown) => void = () => undefined;

  /** Listens to `rl` at once, so no line typed or piped before the session opens is lost. */
  constructor(private readonly parts: ReplParts) {
    this.exited = new Promise<number>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
    });
    this.client = parts.connect(
      (event) => this.cellClosed(event),
      (cellId) => this.globalNames.quiet(cellId),
    );
    parts.rl.on('line', (text) => this.enqueue({ kind: 'line', text }));
    parts.rl.on('close', () => this.enqueue({ kind: 'end' }));
    parts.rl.on('SIGINT', () => this.interrupt());
  }

  /** Opens the session and serves entries until `.exit`, end of input or a double Ctrl-C; resolves to the exit status. */
  async run(): Promise<number> {
    const opened = await this.openSession();
    if (opened !== ExitCode.ok) return opened;
    this.parts.output.prompt(false);
    this.pump();
    return this.exited;
  }

  private async openSession(): Promise<number> {
    const stop = new AbortController();
    this.state = { kind: 'running', stop };
    try {
      this.session = await this.client.openSession(
        { persistent: true, onSessionReset: (event) => this.sessionReset(event) },
        { signal: stop.signal },
      );
    } catch (error) {
      if (!(error instanceof CodeModeError)) throw error;
      if (!(error instanceof AbortedError)) this.parts.output.err(`codemode repl: ${error.message}`);
      this.state = { kind: 'exiting' };
      return error instanceof AbortedError ? ExitCode.interrupted : ExitCode.failed;
    }
    this.state = { kind: 'reading', armed: false };
    return ExitCode.ok;
  }

  /** `.reset`: a new session, so a fresh realm (and an empty store). */
  private async reset(): Promise<void> {
    const old = this.session;
    this.session = undefined;
    this.background.clear();
    await old?.close();
    if ((await this.openSession()) !== ExitCode.ok) return this.finish(ExitCode.failed);
    this.parts.output.err('[fresh realm: variables and the store were cleared]');
  }

  private sessionReset(event: SessionResetEvent): void {
    if (this.exiting) return;
    this.parts.output.err(`[session reset (${event.reason}) in cell ${event.cellId}: variables were lost; the store is kept]`);
  }

  /** Stops the host; cells still running are terminated. */
  close(): Promise<void> {
    return this.client.close();
  }

  /**
   * Ctrl-C: terminates the running entry's cell; else clears the line. At an empty prompt it offers
   * to stop a cell still running in the background (a second Ctrl-C does), else to exit.
   */
  interrupt(): void {
    const state = this.state;
    if (state.kind === 'running') {
      state.stop.abort();
    } else if (state.kind === 'reading') {
      if (this.entry.pending || this.parts.rl.line !== '') {
        this.entry.clear();
        this.state = { kind: 'reading', armed: false };
        this.parts.output.freshPrompt();
      } else if (state.armed !== false && state.armed.kind === 'exit') {
        this.exit();
      } else if (state.armed !== false && state.armed.kind === 'stop') {
        this.enqueue({ kind: 'line', text: `.terminate ${state.armed.cellId}` });
      } else {
        const running = [...this.background].at(-1);
        // Printed above the prompt, which stays.
        if (running !== undefined) {
          this.state = { kind: 'reading', armed: { kind: 'stop', cellId: running } };
          this.parts.output.err(`(cell ${running} is still running: press Ctrl+C again to stop it, or .wait ${running})`);
        } else {
          this.state = { kind: 'reading', armed: { kind: 'exit' } };
          this.parts.output.err('(To exit, press Ctrl+C again or Ctrl+D or type .exit)');
        }
      }
    }
  }

  /** A cell's runtime is gone: announced for background cells, whose end nobody is watching. */
  private cellClosed(event: CellClosedEvent): void {
    const waiters = this.closeWaiters;
    this.closeWaiters = [];
    for (const resolve of waiters) resolve();
    if (this.exiting || !this.background.delete(event.cellId)) return;
    const id = event.cellId;
    const what = { completed: `finished; .wait ${id} for its result`, terminated: 'was terminated', lost: 'was lost with the host' };
    this.parts.output.err(`[cell ${id} ${what[event.status]}]`);
  }

  private enqueue(input: ReplInput): void {
    this.queue.push(input);
    if (this.session !== undefined) this.pump();
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    this.drain()
      .catch((error: unknown) => this.fail(error))
      .finally(() => (this.pumping = false));
  }

  private async drain(): Promise<void> {
    let input: ReplInput | undefined;
    while (!this.exiting && (input = this.queue.shift()) !== undefined) {
      if (input.kind === 'end') this.exit();
      else await this.line(input.text);
    }
  }

  private async line(text: string): Promise<void> {
    this.parts.output.promptDone();
    // Any input disarms the exit a first Ctrl-C at an empty prompt armed.
    this.state = { kind: 'reading', armed: false };
    const command = this.entry.pending ? undefined : parseDotCommand(text);
    if (command !== undefined) {
      await this.command(command);
    } else {
      const result = this.entry.add(text);
      if (result.kind === 'more') return this.parts.output.prompt(true);
      if (result.kind === 'entry') {
        this.parts.rememberEntry(result.lines);
        await this.observe({ kind: 'execute', source: result.source });
      }
    }
    if (!this.exiting) this.parts.output.prompt(false);
  }

  private async command(command: DotCommand): Promise<void> {
    switch (command.kind) {
      case 'help':
        return this.parts.output.out(DOT_HELP);
      case 'exit':
        return this.exit();
      case 'reset':
        return this.reset();
      case 'invalid':
        return this.parts.output.err(command.message);
      case 'wait':
      case 'terminate':
        // Observed again: its end is reported by this observation, not announced.
        this.background.delete(command.cellId);
        return this.observe(command);
    }
  }

  /** Runs one observation; Ctrl-C during it terminates the cell. */
  private async observe(observation: Observation): Promise<void> {
    const stop = new AbortController();
    this.state = { kind: 'running', stop };
    // The session runs one cell at a time, so the next cell to close is this one.
    const closed = new Promise<void>((resolve) => this.closeWaiters.push(resolve));
    try {
      this.report(await this.start(observation, stop.signal));
    } catch (error) {
      if (!(error instanceof CodeModeError)) throw error;
      if (error instanceof RpcError && error.rpcCode === ErrorCode.SessionBusy) return this.busy(error);
      if (!(error instanceof AbortedError && stop.signal.aborted)) return this.parts.output.err(`error: ${error.message}`);
      // An aborted wait leaves its cell running, so it is terminated here; the cell of an
      // aborted execute is terminated by the client, and an aborted terminate still completes.
      if (observation.kind === 'wait') return this.observe({ kind: 'terminate', cellId: observation.cellId });
      // The client terminates an aborted execute's cell on its own; the next entry waits for it,
      // or it would find the session busy. cell/closed is a notification, not a request, so the
      // client does not hold the event loop open for it: with stdin already ended, nothing else
      // would, and Node would exit on an unsettled await.
      const keepAlive = setInterval(() => {}, 1 << 30);
      await closed.finally(() => clearInterval(keepAlive));
      this.parts.output.err('terminated');
    } finally {
      if (this.state.kind === 'running' && this.state.stop === stop) this.state = { kind: 'reading', armed: false };
    }
  }

  private start(observation: Observation, signal: AbortSignal): Promise<CellResponse> {
    const session = this.session as CodeModeSession;
    switch (observation.kind) {
      case 'execute':
        return session.execute({ source: observation.source, tools: this.parts.tools.definitions }, { signal });
      case 'wait':
        return session.wait(observation.cellId, {}, { signal });
      case 'terminate':
        return session.terminate(observation.cellId, { signal });
    }
  }

  private busy(error: RpcError): void {
    const { cellId } = error.data as { cellId: string };
    this.parts.output.err(`[cell ${cellId} is still running: .wait ${cellId} or .terminate ${cellId} first]`);
  }

  private report(response: CellResponse): void {
    this.parts.printer.observed(response);
    const id = response.cellId;
    if (response.status === 'yielded') {
      this.background.add(id);
      this.parts.output.err(`[cell ${id} yielded; .wait ${id} to continue]`);
    } else if (!succeeded(response)) {
      this.parts.output.err(statusLine(response) ?? response.status);
    }
  }

  /** Read through a getter, since an awaited entry may have changed the state. */
  private get exiting(): boolean {
    return this.state.kind === 'exiting';
  }

  private exit(): void {
    this.state = { kind: 'exiting' };
    this.finish(ExitCode.ok);
  }
}

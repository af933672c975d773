/**
 * The host's handle on one sandbox process: starts it, carries its runs' messages, answers their
 * calls through each run's CellEvents, and when the process dies ends every run in it with the
 * cause (`lost`). It owns the child: `dispose` or the child's exit are the only ways it ends.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { Logger } from '../log.js';
import { PACKAGE_ROOT, SANDBOX_ENTRY } from '../packageFiles.js';
import { RawText } from '../rawText.js';
import type { CellEvents, CellExit, CellProgram, CellRun, ToolOutcome } from './api.js';
import { BULK_MIN_CHARS, BulkWriter } from './bulkChannel.js';
import { UNUSABLE_ENGINE_PREFIX } from './engine.js';
import { messageOf } from './errors.js';
import {
  CREDIT_BATCH_BYTES,
  FATAL_PREFIX,
  meteredBytes,
  Outbox,
  type CallId,
  type CallRequest,
  type CallResult,
  type FromSandbox,
  type RealmId,
  type RunId,
  type ToolAnswers,
  type ToolCalls,
  type ToSandbox,
} from './messages.js';
import { forEachLine } from './stderrLines.js';

/** The node_modules holding isolated-vm (and, installed beside it, sucrase), wherever npm put it. */
const MODULES = dirname(dirname(createRequire(import.meta.url).resolve('isolated-vm/package.json')));

export interface SandboxProcessOptions {
  logger: Logger;
  logLevel: string;
  /** Resolves once the host's output is draining: a run's output is credited back only then. */
  whenOutputDrains: () => Promise<void>;
  /** Called once, when the process has exited, with the cause in words. */
  onExit: (cause: string) => void;
}

interface HostRun {
  events: CellEvents;
  started: () => void;
  finish: (exit: CellExit) => void;
}

type ProcessState = { kind: 'running' } | { kind: 'exited'; cause: string };

/**
 * Node's permission model for the sandbox process: it may read its own package (to load the
 * engine, isolated-vm's addon and sucrase), load addons and start worker threads (they strip large
 * TypeScript sources); it may not write files, start processes, or use inspector or WASI. It does
 * not limit memory, CPU or signals: isolate limits and the supervisor do that.
 */
const PERMISSIONS = [
  '--permission',
  '--allow-addons',
  // Large TypeScript sources are stripped in a worker thread (typescript.ts).
  '--allow-worker',
  `--allow-fs-read=${PACKAGE_ROOT}`,
  `--allow-fs-read=${MODULES}`,
  // isolated-vm's loader (node-gyp-build) asks whether it runs on Alpine.
  '--allow-fs-read=/etc/alpine-release',
  // Node warns that addons can bypass the model; that is known and said above.
  '--disable-warning=SecurityWarning',
];

export class SandboxProcess {
  readonly child: ChildProcess;
  private state: ProcessState = { kind: 'running' };
  private readonly runs = new Map<RunId, HostRun>();
  private readonly outbox: Outbox<ToSandbox>;
  /** Large string tool results (bulkChannel.ts). */
  private readonly bulk: BulkWriter;
  private fatal: string | null = null;
  /** Why isolated-vm did not load in the process (engineLoad.ts): the whole cause, when set. */
  private unusableEngine: string | null = null;
  private nextRun = 1;
  private nextRealm = 1;
  private readonly realms = new Set<RealmId>();
  /** Credit not yet returned, by run (creditOnceDrained); a run's entry goes with the run. */
  private readonly owed = new Map<RunId, number>();
  /** Whether a drain of the host's output is awaited to pay what is owed. */
  private drainAwaited = false;

  constructor(private readonly options: SandboxProcessOptions) {
    this.child = fork(SANDBOX_ENTRY, [options.logLevel], {
      execArgv: ['--no-node-snapshot', ...PERMISSIONS],
      serialization: 'advanced',
      stdio: ['pipe', 'ignore', 'pipe', 'ipc'],
    });
    this.bulk = new BulkWriter(this.child.stdin!);
    // The child's exit is handled once, on 'close'; a write after it fails with EPIPE here.
    this.child.stdin!.on('error', (error) => options.logger.debug(`sandbox bulk pipe: ${error.message}`));
    this.outbox = new Outbox((batch) => {
      if (this.child.connected) this.child.send(batch, (error) => error && this.options.logger.debug(`sandbox send failed: ${error.message}`));
    });
    this.child.on('message', (batch: FromSandbox[]) => {
      for (const message of batch) this.handle(message);
    });
    this.child.on('error', (error) => options.logger.error(`sandbox process ${this.child.pid}: ${error.message}`));
    // 'close', not 'exit': the FATAL_PREFIX line on stderr has been read by then.
    this.child.once('close', (code, signal) => this.exited(code, signal));
    forEachLine(this.child.stderr!, (line) => {
      if (line.startsWith(FATAL_PREFIX)) this.fatal = line.slice(FATAL_PREFIX.length);
      else if (line.startsWith(UNUSABLE_ENGINE_PREFIX)) this.unusableEngine = line.slice(UNUSABLE_ENGINE_PREFIX.length);
      else process.stderr.write(`${line}\n`);
    });
  }

  get alive(): boolean {
    return this.state.kind === 'running';
  }

  /** Cells running in this process now. */
  get load(): number {
    return this.runs.size;
  }

  /** Realms open in this process: it holds sessions' variables, so it is not retired while any is. */
  get realmCount(): number {
    return this.realms.size;
  }

  /** Opens a persistent session's realm in this process. */
  openRealm(heapLimitMb: number): RealmId {
    const realm = this.nextRealm++;
    this.realms.add(realm);
    if (this.state.kind === 'running') this.outbox.post({ t: 'openRealm', realm, heapLimitMb });
    return realm;
  }

  disposeRealm(realm: RealmId): void {
    if (this.realms.delete(realm) && this.state.kind === 'running') this.outbox.post({ t: 'disposeRealm', realm });
  }

  /** Starts a cell in a fresh isolate, or in `realm` (opened here, with no cell running). */
  start(program: CellProgram, events: CellEvents, realm: RealmId | null = null): Promise<CellRun> {
    if (this.state.kind === 'exited') return Promise.resolve(lostRun(this.state.cause));
    const id = this.nextRun++;
    let started!: () => void;
    let finish!: (exit: CellExit) => void;
    const running = new Promise<void>((resolve) => (started = resolve));
    const done = new Promise<CellExit>((resolve) => (finish = resolve));
    this.runs.set(id, { events, started, finish });
    this.outbox.post({ t: 'start', run: id, program, realm });
    const run: CellRun = {
      done,
      terminate: () => {
        if (this.runs.has(id)) this.outbox.post({ t: 'terminate', run: id });
      },
    };
    return Promise.race([running, done]).then(() => run);
  }

  /** Ends the process; its runs end as lost (there should be none: the host disposes after teardown). */
  dispose(): void {
    if (this.state.kind === 'running') this.child.kill('SIGKILL');
  }

  private handle(message: FromSandbox): void {
    if (message.t === 'ready') return;
    const run = this.runs.get(message.run);
    if (run === undefined) return;
    switch (message.t) {
      case 'started':
        run.started();
        return;
      case 'done':
        this.runs.delete(message.run);
        this.owed.delete(message.run);
        run.finish(message.exit);
        return;
      case 'output':
        run.events.output(message.items, message.droppedBytes, message.bytes);
        this.creditOnceDrained(message);
        return;
      case 'yield':
        run.events.yieldControl();
        return;
      case 'call':
        void this.answer(run.events, message).then((value) => this.reply(message.run, message.call, value));
        this.creditOnceDrained(message);
        return;
      case 'toolCalls':
        this.callTools(run.events, message);
        this.creditOnceDrained(message);
        return;
    }
  }

  private callTools(events: CellEvents, { run, calls, jsNames, inputs }: ToolCalls): void {
    for (let i = 0; i < calls.length; i++) {
      const call = calls[i]!;
      try {
        events.toolCall(jsNames[i]!, inputs[i], (outcome) => this.answerTool(run, call, outcome));
      } catch (error) {
        this.options.logger.error(`sandbox call toolCall failed: ${error instanceof Error ? error.stack : String(error)}`);
        this.answerTool(run, call, { ok: false, message: messageOf(error) });
      }
    }
  }

  /** Joins this turn's answers to the run's tool calls when they were the last message posted. */
  private answerTool(run: RunId, call: CallId, outcome: ToolOutcome): void {
    if (this.state.kind !== 'running' || !this.runs.has(run)) return;
    if (outcome.ok && isBulkResult(outcome.result)) {
      this.bulk.write(run, call, outcome.result);
      return;
    }
    const last = this.outbox.last();
    let answers: ToolAnswers;
    if (last?.t === 'toolAnswers' && last.run === run) answers = last;
    else {
      answers = { t: 'toolAnswers', run, calls: [], results: [], failed: [] };
      this.outbox.post(answers);
    }
    if (!outcome.ok) answers.failed.push(answers.calls.length);
    answers.calls.push(call);
    answers.results.push(outcome.ok ? outcome.result : outcome.message);
  }

  /**
   * What the run sent has been handed to the output (a cell/output, a delegate request): credit it
   * back once that drains. Credit leaves as one message per run once CREDIT_BATCH_BYTES are owed
   * to it, not one per message credited: a credit message per sequential tool call cost the
   * sandbox process a wake-up per call. A run is only ever held up with its whole window owed,
   * which is more than a batch, so withholding less than a batch never stalls it.
   */
  private creditOnceDrained(message: FromSandbox & { run: RunId }): void {
    const bytes = meteredBytes(message);
    if (bytes === 0) return;
    this.owed.set(message.run, (this.owed.get(message.run) ?? 0) + bytes);
    if (this.drainAwaited) return;
    this.drainAwaited = true;
    void this.options.whenOutputDrains().then(this.payCredits);
  }

  private readonly payCredits = (): void => {
    this.drainAwaited = false;
    for (const [run, bytes] of this.owed) {
      if (bytes < CREDIT_BATCH_BYTES) continue;
      this.post({ t: 'credit', run, bytes });
      this.owed.delete(run);
    }
  };

  private reply(run: RunId, call: CallId, value: CallResult): void {
    this.post({ t: 'reply', run, call, value });
  }

  private post(message: ToSandbox & { run: RunId }): void {
    if (this.state.kind === 'running' && this.runs.has(message.run)) this.outbox.post(message);
  }

  private async answer(events: CellEvents, request: CallRequest): Promise<CallResult> {
    try {
      switch (request.kind) {
        case 'notify':
          await events.notify(request.args.text);
          return null;
        case 'store':
          return await events.store(request.args.key, request.args.json);
        case 'load':
          return await events.load(request.args.key);
      }
    } catch (error) {
      this.options.logger.error(`sandbox call ${request.kind} failed: ${error instanceof Error ? error.stack : String(error)}`);
      const message = messageOf(error);
      return request.kind === 'store' ? message : request.kind === 'load' ? undefined : null;
    }
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    const cause = this.unusableEngine ?? describeExit(code, signal, this.fatal);
    this.state = { kind: 'exited', cause };
    for (const run of this.runs.values()) {
      run.started();
      run.finish({ kind: 'lost', error: `sandbox process exited: ${cause}` });
    }
    this.runs.clear();
    this.realms.clear();
    this.bulk.dispose();
    this.options.onExit(cause);
  }
}

function describeExit(code: number | null, signal: NodeJS.Signals | null, fatal: string | null): string {
  if (fatal !== null) return /out.of.memory/i.test(fatal) ? `out of memory (${fatal})` : `V8 fatal error (${fatal})`;
  if (signal !== null) return `killed by ${signal}`;
  return `exit status ${code}`;
}

function lostRun(cause: string): CellRun {
  return { done: Promise.resolve({ kind: 'lost', error: `sandbox process exited: ${cause}` }), terminate() {} };
}

/**
 * A successful tool result that is one long string goes on the bulk pipe; a RawText always does
 * (the IPC channel would clone it as an object, not as its text).
 */
function isBulkResult(result: unknown): result is string | RawText {
  return result instanceof RawText || (typeof result === 'string' && result.length >= BULK_MIN_CHARS);
}

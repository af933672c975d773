/**
 * One cell running in its own prepared isolate: binds the isolate's bridge to the cell's events,
 * enforces the limits, owns the cell's host timers, and turns every way the run can end into
 * exactly one CellExit, releasing everything the run holds on each of those paths.
 */
import type { Logger } from '../log.js';
import type { CellEvents, CellExit, CellProgram, CellRun, RealmResetReason } from './api.js';
import type { BootstrapConfig, HostBridge } from './bridge.js';
import type { Compiled } from './compile.js';
import type { CpuWatch, CpuWatchEntry } from './cpuWatch.js';
import { cpuLimitError, heapLimitError, isolateErrorText, wallLimitError } from './errors.js';
import { parseOutputBatch } from './outputItems.js';
import type { PreparedIsolate } from './prepared.js';
import { ToolCrossing } from './toolCrossing.js';

type RunState =
  | { kind: 'running' }
  /** exit() was called: the cell ends successfully whatever its code does next. */
  | { kind: 'exiting' }
  | { kind: 'ended'; exit: CellExit };

/** Longest a disposed run may take to settle before the cell is reported gone anyway. */
const UNWIND_BOUND_MS = 500;

/**
 * What one timer firing costs the sandbox process besides the cell's own code (scheduling, the
 * call into the isolate), charged to the cell so that timer loops stay within its CPU limit.
 */
const TIMER_FIRE_CHARGE_MS = 0.25;

/** Node clamps longer delays to 1 ms; a cell's timer this long will never matter anyway. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export interface CellRunDeps {
  cpuWatch: CpuWatch;
  logger: Logger;
}

/** A run that ended before any code ran (a strip or compile error). */
export function endedRun(exit: CellExit): CellRun {
  return { done: Promise.resolve(exit), terminate() {} };
}

/**
 * Arms the cell's limits, then compiles the cell with `compile` in the prepared isolate and starts
 * it; resolves once the code runs or the run has ended. Nothing of the cell's runs before the CPU
 * watch, the wall timer and terminate apply, compilation included. An ordinary run (`persistent`
 * false) takes ownership of `prepared`: its isolate is disposed when the run ends. A persistent
 * run (a Realm's) disposes it only when it must be discarded, and says why in the exit's `reset`.
 */
export async function startCellRun(
  prepared: PreparedIsolate,
  program: CellProgram,
  compile: () => Promise<Compiled>,
  events: CellEvents,
  deps: CellRunDeps,
  persistent: boolean,
): Promise<CellRun> {
  const run = new CellRuntime(prepared, program, events, deps, persistent);
  const config: BootstrapConfig = {
    tools: program.tools.map(({ jsName, description }) => ({ jsName, description })),
    maxOutputBytes: program.limits.maxOutputBytes,
    maxPendingToolCalls: program.limits.maxPendingToolCalls,
    persistent,
  };
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  const execute = async () => {
    const compiled = await compile();
    if (!compiled.ok) return run.settled(compiled.error);
    const result = prepared.start.apply(undefined, [compiled.body.derefInto(), JSON.stringify(config)], { result: { promise: true, copy: true } });
    started();
    const errorText: unknown = await result;
    run.settled(typeof errorText === 'string' ? errorText : null);
  };
  const execution = execute().catch((error: unknown) => run.isolateFailed(error));
  run.begin(execution);
  await Promise.race([running, execution]);
  return run;
}

class CellRuntime implements CellRun {
  readonly done: Promise<CellExit>;
  private state: RunState = { kind: 'running' };
  private resolveDone!: (exit: CellExit) => void;
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private readonly wallTimer: NodeJS.Timeout | null;
  private readonly cpu: CpuWatchEntry;
  private readonly tools: ToolCrossing;
  /** Settles once the isolate's thread has left the cell's code, however the run ended. */
  private execution: Promise<void> = Promise.resolve();

  constructor(
    private readonly prepared: PreparedIsolate,
    private readonly program: CellProgram,
    private readonly events: CellEvents,
    deps: CellRunDeps,
    private readonly persistent: boolean,
  ) {
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.tools = new ToolCrossing(prepared, events, (error) => this.isolateFailed(error), deps.logger);
    prepared.slot.binding = this.binding();
    const { cpuTimeLimitMs, wallTimeLimitMs } = program.limits;
    this.cpu = deps.cpuWatch.watch(prepared.isolate, cpuTimeLimitMs, () =>
      this.end({ kind: 'completed', error: cpuLimitError(cpuTimeLimitMs) }, 'cpuTimeLimit'),
    );
    this.wallTimer =
      wallTimeLimitMs === null
        ? null
        : setTimeout(() => this.end({ kind: 'completed', error: wallLimitError(wallTimeLimitMs) }, 'wallTimeLimit'), wallTimeLimitMs);
  }

  /** The cell's code is running: `execution` settles when it stops. */
  begin(execution: Promise<void>): void {
    this.execution = execution;
  }

  terminate(): void {
    // exit() already settled the cell: that completion stands.
    if (this.state.kind === 'exiting') this.end({ kind: 'completed', error: null }, null);
    else this.end({ kind: 'terminated' }, 'terminated');
  }

  /** The cell's code settled: null on success, else its error text. */
  settled(errorText: string | null): void {
    this.end({ kind: 'completed', error: this.state.kind === 'exiting' ? null : errorText }, null);
  }

  /** A call into the isolate rejected: an unhandled rejection, or the isolate died (heap limit). */
  isolateFailed(error: unknown): void {
    if (this.state.kind === 'ended') return;
    const exiting = this.state.kind === 'exiting';
    if (this.prepared.isolate.isDisposed) {
      this.end({ kind: 'completed', error: exiting ? null : heapLimitError(this.program.limits.heapLimitMb) }, 'heapLimit');
    } else {
      this.end({ kind: 'completed', error: exiting ? null : isolateErrorText(error) }, 'crashed');
    }
  }

  /**
   * `discard` says why the isolate must go (null: the code ended on its own). An ordinary run's
   * isolate always goes; a persistent run's goes only with a reason, which its exit then reports.
   */
  private end(exit: CellExit, discard: RealmResetReason | null): void {
    if (this.state.kind === 'ended') return;
    const reset = this.persistent ? discard : null;
    if (reset !== null) exit = { ...exit, reset };
    this.state = { kind: 'ended', exit };
    this.prepared.slot.binding = null;
    this.tools.close();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.wallTimer !== null) clearTimeout(this.wallTimer);
    this.cpu.unwatch();
    if ((!this.persistent || reset !== null) && !this.prepared.isolate.isDisposed) this.prepared.isolate.dispose();
    // dispose() returns before the isolate's thread has unwound a running script; the runtime is
    // gone (and the process may exit) only once the run has settled. isolated-vm settles it
    // within milliseconds; the bound keeps a wedged thread from holding the cell forever.
    const unwound = setTimeout(() => this.resolveDone(exit), UNWIND_BOUND_MS);
    void this.execution.then(() => {
      clearTimeout(unwound);
      this.resolveDone(exit);
    });
  }

  /** Host work the cell asked for counts against its CPU limit: the time until it was answered. */
  private async charged<T>(work: () => T | Promise<T>): Promise<T> {
    const since = performance.now();
    try {
      return await work();
    } finally {
      this.chargeCpu(performance.now() - since);
    }
  }

  private chargeCpu(ms: number): void {
    this.cpu.charge(ms);
  }

  private fire(id: number): void {
    this.timers.delete(id);
    this.prepared.fire.apply(undefined, [id]).catch((error: unknown) => this.isolateFailed(error));
    this.chargeCpu(TIMER_FIRE_CHARGE_MS);
  }

  private binding(): HostBridge {
    const { events } = this;
    return {
      output: async (itemsJson, droppedBytes) => {
        const items = parseOutputBatch(itemsJson);
        if (items.length > 0 || droppedBytes > 0) await events.output(items, droppedBytes, Buffer.byteLength(itemsJson));
      },
      yieldControl: () => events.yieldControl(),
      toolCalls: (batch) => this.tools.receive(batch),
      notify: async (text) => events.notify(text),
      store: async (key, json) => this.charged(() => events.store(key, json)),
      load: async (key) => this.charged(() => events.load(key)),
      setTimer: (id, delayMs) => {
        this.timers.set(id, setTimeout(() => this.fire(id), Math.min(delayMs, MAX_TIMER_DELAY_MS)));
      },
      clearTimer: (id) => {
        clearTimeout(this.timers.get(id));
        this.timers.delete(id);
      },
      exit: () => {
        if (this.state.kind !== 'running') return;
        this.state = { kind: 'exiting' };
        // Not from inside this synchronous call: the isolate is still running it.
        setImmediate(() => this.end({ kind: 'completed', error: null }, null));
      },
    };
  }
}

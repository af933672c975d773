/**
 * A cell over a stub sandbox whose runtime stops only when the test says so: this makes
 * overlapping terminates and the order of a cell's events deterministic, which no timing over a
 * real isolate can.
 */
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import type { CellClosedParams } from '../../schemas/index.js';
import { DEFAULT_SESSION_LIMITS } from '../../schemas/index.js';
import { Cell } from '../../server/cells/cell.js';
import { CellDelegates } from '../../server/cells/cellDelegates.js';
import { DelegateChannel } from '../../server/delegate/delegateChannel.js';
import { silentLogger } from '../../server/log.js';
import type { CellEvents, CellExit, CellRun, CellStarter } from '../../server/sandbox/api.js';
import { MemoryBudget } from '../../server/sessions/memoryBudget.js';
import { SessionStore } from '../../server/sessions/sessionStore.js';

export class StubRun implements CellRun {
  readonly done: Promise<CellExit>;
  terminateCalls = 0;
  private finish!: (exit: CellExit) => void;
  constructor() {
    this.done = new Promise((resolve) => (this.finish = resolve));
  }
  terminate(): void {
    this.terminateCalls++;
  }
  exit(exit: CellExit): void {
    this.finish(exit);
  }
}

/**
 * When the host's after-responses actions (`cell/closed`, a loan's fallback ruling) run: on the
 * next setImmediate, as in the host, or only when the test calls `written()`.
 */
export type AfterResponses = 'immediate' | 'held';

export function harness(afterResponses: AfterResponses = 'immediate') {
  const run = new StubRun();
  let events: CellEvents | undefined;
  const sandbox: CellStarter = {
    start: async (_program, cellEvents) => {
      events = cellEvents;
      return run;
    },
  };
  const closed: CellClosedParams[] = [];
  /** What happened to the cell's place in its session's table, in order. */
  const table: Array<'collected' | 'returned'> = [];
  const held: (() => void)[] = [];
  const identity = { sessionId: 's', cellId: '1', toolCallId: null };
  const channel = new DelegateChannel({ request: () => 0, cancelRequest: () => {} }, 10, silentLogger);
  const cell = new Cell({
    identity,
    limits: { ...DEFAULT_SESSION_LIMITS },
    storeView: new SessionStore(1000, new MemoryBudget(1 << 20)).snapshot(),
    delegates: new CellDelegates(identity, new Map(), channel, 10, silentLogger, new MemoryBudget(1 << 20)),
    host: {
      sandbox,
      logger: silentLogger,
      maxResponseBytes: 64 << 20,
      streamOutput: () => {},
      cellClosed: (params) => closed.push(params),
      afterResponses: (action) => (afterResponses === 'held' ? held.push(action) : setImmediate(action)),
      commitStore: () => null,
      releaseActiveCell: () => {},
    },
    onCollected: () => table.push('collected'),
    onReturned: () => table.push('returned'),
    onClosed: () => {},
  });
  const program = {
    sessionId: 's',
    source: '',
    language: 'javascript' as const,
    filename: 'cell-1.js',
    tools: [],
    limits: { heapLimitMb: 8, cpuTimeLimitMs: 1000, wallTimeLimitMs: null, maxOutputBytes: 1000, maxPendingToolCalls: 256 },
  };
  return {
    cell,
    run,
    closed,
    table,
    program,
    events: () => events as CellEvents,
    /** Runs the held after-responses actions, as the host does once the turn's responses are written. */
    written: () => held.splice(0).forEach((action) => action()),
  };
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));

export const token = () => new CancellationTokenSource().token;

/**
 * The cell state machine in process, with a stub sandbox whose runtime stops only when the test
 * says so: this makes overlapping terminates deterministic, which no timing over a real isolate can.
 */
import { expect } from 'chai';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { CellClosedParams, CellResponse } from '../../schemas/index.js';
import { Cell } from '../../server/cells/cell.js';
import { CellDelegates } from '../../server/cells/cellDelegates.js';
import type { RequestSettler } from '../../schemas/rpcDispatcher.js';
import { DelegateChannel } from '../../server/delegate/delegateChannel.js';
import { silentLogger } from '../../server/log.js';
import type { CellEvents, CellExit, CellRun, CellStarter } from '../../server/sandbox/api.js';
import { MemoryBudget } from '../../server/sessions/memoryBudget.js';
import { SessionStore } from '../../server/sessions/sessionStore.js';
import { DEFAULT_SESSION_LIMITS } from '../../schemas/index.js';

class StubRun implements CellRun {
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

function harness() {
  const run = new StubRun();
  let events: CellEvents | undefined;
  const sandbox: CellStarter = {
    start: async (_program, cellEvents) => {
      events = cellEvents;
      return run;
    },
  };
  const closed: CellClosedParams[] = [];
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
      afterResponses: (action) => setImmediate(action),
      commitStore: () => null,
      releaseActiveCell: () => {},
    },
    onCollected: () => {},
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
  return { cell, run, closed, program, events: () => events as CellEvents };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Cell state machine', () => {
  it('answers overlapping terminates and the observer with one outcome, and closes once', async () => {
    const { cell, run, closed, program, events } = harness();
    const first = await cell.execute(program, 0, undefined, new CancellationTokenSource().token, performance.now());
    expect(first.status).to.equal('yielded');
    events().output([{ type: 'text', text: 'late' }], 0, 0);
    const observing = cell.wait(60_000, undefined, new CancellationTokenSource().token, performance.now());
    const a = cell.terminate(performance.now());
    const b = cell.terminate(performance.now());
    expect(run.terminateCalls).to.equal(1);
    run.exit({ kind: 'terminated' });
    const [ra, rb, ro] = await Promise.all([a, b, observing]);
    for (const response of [ra, rb, ro] as CellResponse[]) {
      expect(response).to.deep.include({ cellId: '1', status: 'terminated', error: null, items: [{ type: 'text', text: 'late' }] });
    }
    await tick();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false }]);
  });

  it('lets a completion that arrives during a terminate win', async () => {
    const { cell, run, closed, program } = harness();
    void cell.execute(program, 0, undefined, new CancellationTokenSource().token, performance.now()).catch(() => {});
    await tick();
    const terminating = cell.terminate(performance.now());
    run.exit({ kind: 'completed', error: null });
    expect((await terminating).status).to.equal('completed');
    await tick();
    expect(closed[0]).to.include({ status: 'completed', resultPending: false });
  });

  it('never runs an execute cancelled before it started', async () => {
    const { cell, run, closed, program } = harness();
    const source = new CancellationTokenSource();
    source.cancel();
    const error = await cell.execute(program, 0, undefined, source.token, performance.now()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', -32800);
    expect((error as { data: unknown }).data).to.deep.equal({ kind: 'RequestCancelled', cellId: '1' });
    expect(run.terminateCalls).to.equal(0);
    await tick();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false }]);
  });
});

describe('DelegateChannel', () => {
  it('fails a call, and frees its slot, when the connection refuses to send', async () => {
    const channel = new DelegateChannel(
      {
        request: () => {
          throw new Error('Connection is closed.');
        },
        cancelRequest: () => {},
      },
      1,
      silentLogger,
    );
    const outcomes: unknown[] = [];
    const settled = new Promise((resolve) => channel.call('delegate/notify', { sessionId: 's', cellId: '1', toolCallId: null, text: 'n' }, resolve));
    // Never before call() returns: a caller registers the call after sending it.
    void settled.then((outcome) => outcomes.push(outcome));
    expect(outcomes).to.deep.equal([]);
    expect(await settled).to.deep.equal({ ok: false, message: 'Connection is closed.' });
    expect(channel.pendingCount).to.equal(0);
  });

  it('settles a call refused for capacity, or answered while it was being sent, only after call() returns', async () => {
    const disposed = {
      request: (_method: string, _params: object | undefined, settler: RequestSettler) => {
        settler.settled(new ResponseError(-32097, 'disposed'), undefined);
        return 0;
      },
      cancelRequest: () => {},
    };
    const channel = new DelegateChannel(disposed, 1, silentLogger);
    const heard: string[] = [];
    const params = { sessionId: 's', cellId: '1', toolCallId: null, text: 'n' };
    channel.call('delegate/notify', params, (outcome) => heard.push(`answered ${JSON.stringify(outcome)}`));
    heard.push('returned');
    await Promise.resolve();
    expect(heard).to.deep.equal(['returned', 'answered {"ok":false,"message":"disposed"}']);
    expect(channel.pendingCount).to.equal(0);

    const full = new DelegateChannel({ request: () => 0, cancelRequest: () => {} }, 1, silentLogger);
    const outcomes: string[] = [];
    full.call('delegate/notify', params, () => outcomes.push('first'));
    full.call('delegate/notify', params, (outcome) => outcomes.push(outcome.ok ? 'ok' : outcome.message));
    outcomes.push('returned');
    await Promise.resolve();
    expect(outcomes).to.deep.equal(['returned', 'the host already has 1 unanswered delegate calls (maxPendingDelegateCalls); this call was not sent']);
  });
});

import { expect } from 'chai';
import { CodeModeClient, RpcError, type CodeModeClientOptions, type CodeModeSession } from '../../client/index.js';
import { ErrorCode } from '../../schemas/index.js';
import { expectGone, RecordingDelegate, rejectsWith, settledHeapUsed, sleep, StderrLog, until } from './helpers.js';

/** A cell that never finishes by itself. */
const FOREVER = 'await new Promise(() => {})';

/** Long tool results of each kind the host carries differently; the cell builds the same strings to compare. */
const TEXT_OF = `(kind) => ({ ascii: 'ab{}', wide: 'é€😀', lone: 'x\\ud800', escaped: 'a\\n"\\\\' })[kind].repeat(100_000)`;
const textOf = new Function(`return ${TEXT_OF}`)() as (kind: string) => string;

describe('CodeModeClient with the real host', function () {
  this.timeout(30_000);
  let client: CodeModeClient;
  let delegate: RecordingDelegate;
  let log: StderrLog;
  const pids = new Set<number>();

  function start(options: Partial<CodeModeClientOptions> = {}): CodeModeClient {
    client = new CodeModeClient({ delegate, onStderr: log.onStderr, closeStepMs: 1000, ...options });
    return client;
  }

  /** The running host's pid, remembered so afterEach can check it is gone. */
  function hostPid(): number {
    const pid = client.hostPid;
    expect(pid, 'a running host').to.be.a('number');
    pids.add(pid as number);
    return pid as number;
  }

  async function killHost(): Promise<number> {
    const pid = hostPid();
    process.kill(pid, 'SIGKILL');
    await until(`host ${pid} to be reaped`, () => client.hostPid !== pid);
    return pid;
  }

  beforeEach(() => {
    log = new StderrLog();
    delegate = new RecordingDelegate({
      add: (input) => (input as { a: number; b: number }).a + (input as { a: number; b: number }).b,
      fail: () => {
        throw new Error('boom 42');
      },
      big: () => 'y'.repeat(10_000),
      text: (input) => textOf(input as string),
    });
    pids.clear();
  });

  afterEach(async () => {
    await client.close();
    expectGone(...pids);
  });

  it('runs cells with tool calls and notifications under public ids, and reports each cell closed once', async () => {
    const notes: unknown[] = [];
    start({ delegate: Object.assign(delegate, { notify: (note: unknown) => void notes.push(note) }) });
    const session = await client.openSession();
    hostPid();
    const result = await session.execute({
      source: 'const r = await tools.add({a: 2, b: 3}); notify("sum ready"); text(r * 7)',
      tools: [{ name: 'add' }],
      toolCallId: 'call-7',
    });
    expect(result).to.deep.include({ cellId: '1', status: 'completed', items: [{ type: 'text', text: '35' }], error: null });
    expect(delegate.calls).to.deep.equal([
      {
        sessionId: session.id,
        cellId: '1',
        callId: 'tool-1',
        toolCallId: 'call-7',
        tool: { name: 'add', namespace: null },
        kind: 'function',
        input: { a: 2, b: 3 },
      },
    ]);
    expect(notes).to.deep.equal([{ sessionId: session.id, cellId: '1', toolCallId: 'call-7', text: 'sum ready' }]);
    await session.close();
    expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'completed' }]);
    expect(log.lines.some((line) => line.includes('ready')), 'the host logged through onStderr').to.equal(true);
  });

  it('brings long string tool results into the cell exactly: ASCII, non-ASCII, lone surrogates and escapes', async () => {
    const session = await start().openSession();
    const kinds = ['ascii', 'wide', 'lone', 'escaped'];
    const response = await session.execute({
      source: `const textOf = ${TEXT_OF}; const kinds = ${JSON.stringify(kinds)};
        const results = await Promise.all(kinds.map((kind) => tools.text(kind)));
        text(results.map((r, i) => r === textOf(kinds[i]) ? 'same ' + r.length : 'differs').join(', '))`,
      tools: [{ name: 'text' }],
    });
    expect(response.error).to.equal(null);
    expect(response.items).to.deep.equal([{ type: 'text', text: kinds.map((kind) => `same ${textOf(kind).length}`).join(', ') }]);
  });

  it("fails a cell on a rejection its code leaves unhandled, while a tool call's rejection waits for its await", async () => {
    const session = await start().openSession();
    const tools = [{ name: 'fail' }, { name: 'add' }];
    const plain = await session.execute({ source: 'const p = Promise.reject(new Error("late")); await new Promise((r) => setTimeout(r, 0)); try { await p } catch {} text("not reached")' });
    expect(plain.error).to.match(/^Error: late\n/);
    expect(plain.items).to.deep.equal([]);
    const awaitedLate = await session.execute({ source: 'const b = tools.fail(); await tools.add({ a: 1, b: 2 }); try { await b } catch (e) { text("caught " + e.message) }', tools });
    expect(awaitedLate).to.deep.include({ error: null, items: [{ type: 'text', text: 'caught boom 42' }] });
    const neverAwaited = await session.execute({ source: 'tools.fail(); await tools.add({ a: 1, b: 1 }); text("after")', tools });
    expect(neverAwaited).to.deep.include({ error: null, items: [{ type: 'text', text: 'after' }] });
  });

  it('keeps concurrent cells and their tool calls apart', async () => {
    const session = await start().openSession();
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => session.execute({ source: `text(await tools.add({a: ${i}, b: 100}))`, tools: [{ name: 'add' }] })),
    );
    const textOf = (cellId: string) => results.find((result) => result.cellId === cellId)?.items;
    results.forEach((result, i) => expect(result.items).to.deep.equal([{ type: 'text', text: String(i + 100) }]));
    expect(results.map((result) => Number(result.cellId)).sort((x, y) => x - y)).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    for (const call of delegate.calls) {
      expect(textOf(call.cellId), `the tool call of cell ${call.cellId}`).to.deep.equal([{ type: 'text', text: String((call.input as { a: number }).a + 100) }]);
    }
    await session.close();
    expect(delegate.closed.map((event) => event.cellId).sort()).to.deep.equal(results.map((result) => result.cellId).sort());
    expect(new Set(delegate.closed.map((event) => event.status))).to.deep.equal(new Set(['completed']));
    hostPid();
  });

  it('streams cell output to cellOutput when the client delegate asks for it', async () => {
    const outputs: unknown[] = [];
    start({ delegate: Object.assign(delegate, { cellOutput: (event: unknown) => void outputs.push(event) }) });
    const session = await client.openSession();
    const result = await session.execute({ source: 'text("a"); await new Promise((r) => setTimeout(r, 50)); text("b")' });
    expect(result.items).to.deep.equal([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b' },
    ]);
    await until('both items to stream', () => outputs.length >= 2);
    expect(outputs.flatMap((event) => (event as { items: unknown[] }).items)).to.deep.equal(result.items);
    expect(outputs.map((event) => (event as { sessionId: string; cellId: string }).cellId)).to.satisfy((ids: string[]) => ids.every((id) => id === '1'));
    expect(outputs.map((event) => (event as { sessionId: string }).sessionId)).to.satisfy((ids: string[]) => ids.every((id) => id === session.id));
    hostPid();
  });

  it('rejects the tool promise in the cell with the message of a delegate that throws', async () => {
    const session = await start().openSession();
    const result = await session.execute({
      source: 'try { await tools.fail() } catch (e) { text(e.message) }',
      tools: [{ name: 'fail' }],
    });
    expect(result.items).to.deep.equal([{ type: 'text', text: 'boom 42' }]);
    hostPid();
  });

  it('refuses a request over maxMessageBytes locally and keeps the host', async () => {
    const session = await start({ hostLimits: { maxMessageBytes: 8192 } }).openSession();
    const pid = hostPid();
    const error = await rejectsWith(session.execute({ source: `text("${'x'.repeat(10_000)}")` }), 'MESSAGE_TOO_LARGE');
    expect(error.message).to.contain("over the host's maxMessageBytes of 8192");
    const next = await session.execute({
      source: 'try { await tools.big() } catch (e) { text(e.message) }',
      tools: [{ name: 'big' }],
    });
    expect(next.cellId, 'nothing was sent for the refused request').to.equal('1');
    expect(next.items).to.have.length(1);
    expect((next.items[0] as { text: string }).text).to.contain("exceeds the host's maxMessageBytes of 8192");
    expect(client.hostPid).to.equal(pid);
  });

  it('fails waits in flight with HOST_LOST on SIGKILL, then replaces the host once with HOST_REPLACED', async () => {
    start();
    const a = await client.openSession();
    const b = await client.openSession();
    await a.execute({ source: 'store("k", 1)' });
    const cellA = await a.execute({ source: FOREVER, yieldTimeMs: 50 });
    const cellB = await b.execute({ source: FOREVER, yieldTimeMs: 50 });
    expect([cellA.cellId, cellA.status, cellB.cellId, cellB.status]).to.deep.equal(['2', 'yielded', '1', 'yielded']);
    // Whether or not the waits have reached the host when it dies, they are in flight and fail.
    const waits = [a.wait('2', { yieldTimeMs: 60_000 }), b.wait('1', { yieldTimeMs: 60_000 })].map((wait) => rejectsWith(wait, 'HOST_LOST'));
    const killed = await killHost();

    for (const error of await Promise.all(waits)) expect(error.message).to.contain('code-mode host was killed by SIGKILL');
    await until('both cells to be reported', () => delegate.closed.length === 3);
    expect(delegate.closed).to.deep.include.members([
      { sessionId: a.id, cellId: '1', status: 'completed' },
      { sessionId: a.id, cellId: '2', status: 'lost' },
      { sessionId: b.id, cellId: '1', status: 'lost' },
    ]);
    expectGone(killed);

    const replaced = await rejectsWith(a.execute({ source: 'text(1)' }), 'HOST_REPLACED');
    expect(replaced.message).to.contain('Stored values and running cells were lost');
    expect(replaced.message).to.contain('Tool calls already made may have taken effect');
    const fresh = await a.execute({ source: 'text(load("k") ?? "empty")' });
    expect(fresh).to.deep.include({ cellId: 'g2:1', items: [{ type: 'text', text: 'empty' }] });
    expect(a.generation).to.equal(2);
    await rejectsWith(a.wait('2'), 'STALE_CELL');
    await rejectsWith(a.terminate('2'), 'STALE_CELL');
    // b was not used since the loss: calls on its lost cell fail STALE_CELL without starting
    // anything; its first execute learns of the loss, once.
    await rejectsWith(b.terminate('1'), 'STALE_CELL');
    await rejectsWith(b.wait('1'), 'STALE_CELL');
    await rejectsWith(b.execute({ source: 'text(2)' }), 'HOST_REPLACED');
    expect((await b.execute({ source: 'text(2)' })).cellId).to.equal('g2:1');
    expect(hostPid()).to.not.equal(killed);
  });

  it('aborts a running tool call on SIGKILL and reports its cell only after the delegate settled', async () => {
    start({
      delegate: Object.assign(delegate, {
        invokeTool: (_call: unknown, signal: AbortSignal) =>
          new Promise((resolve) => {
            delegate.events.push('tool started');
            signal.addEventListener('abort', () => {
              delegate.events.push('tool aborted');
              setTimeout(() => resolve(delegate.events.push('tool settled')), 300);
            });
          }),
      }),
    });
    const session = await client.openSession();
    const executing = rejectsWith(session.execute({ source: 'await tools.slow()', tools: [{ name: 'slow' }], yieldTimeMs: 60_000 }), 'HOST_LOST');
    await until('the tool call', () => delegate.events.includes('tool started'));
    await killHost();
    await executing;
    await until('the cell to be reported', () => delegate.closed.length === 1);
    expect(delegate.events).to.deep.equal(['tool started', 'tool aborted', 'tool settled', 'closed 1 lost']);
  });

  it('aborts a tool call the host cancels, and reports its cell after the delegate settled', async () => {
    start({
      delegate: Object.assign(delegate, {
        invokeTool: (call: { tool: { name: string } }, signal: AbortSignal) =>
          call.tool.name === 'add'
            ? 3
            : new Promise((resolve) => {
                delegate.events.push('tool started');
                signal.addEventListener('abort', () => setTimeout(() => resolve(delegate.events.push('tool settled')), 100));
              }),
      }),
    });
    const session = await client.openSession();
    const result = await session.execute({
      // The client handles requests in order, so slow has started once add is answered.
      source: 'tools.slow(); await tools.add({ a: 1, b: 2 }); text("done")',
      tools: [{ name: 'slow' }, { name: 'add' }],
    });
    expect(result).to.deep.include({ cellId: '1', status: 'completed', items: [{ type: 'text', text: 'done' }] });
    await until('the cell to be reported', () => delegate.closed.length === 1);
    expect(delegate.events).to.deep.equal(['tool started', 'tool settled', 'closed 1 completed']);
    expect(log.lines.filter((line) => line.includes('unknown request id'))).to.deep.equal([]);
    hostPid();
  });

  it('fails an execute in flight with HOST_LOST on SIGKILL', async () => {
    const session = await start().openSession();
    const executing = rejectsWith(session.execute({ source: FOREVER, yieldTimeMs: 60_000 }), 'HOST_LOST');
    await killHost();
    const error = await executing;
    expect(error.message).to.contain('killed by SIGKILL');
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
  });

  it('fails an open in flight with HOST_LOST on SIGKILL; the next open starts a new host', async () => {
    start();
    await client.openSession();
    const pid = hostPid();
    const opening = client.openSession();
    process.kill(pid, 'SIGKILL');
    const error = await rejectsWith(opening, 'HOST_LOST');
    expect(error.message).to.contain('killed by SIGKILL');
    await client.openSession();
    expect(hostPid()).to.not.equal(pid);
  });

  it('stops replacing the host after more than maxRestarts losses, until restart()', async () => {
    const session = await start({ restart: { maxRestarts: 1, windowMs: 60_000 } }).openSession();
    await killHost();
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
    await killHost();
    const error = await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_UNAVAILABLE');
    expect(error.message).to.contain('lost 2 times within 60000 ms (last: code-mode host was killed by SIGKILL)');
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_UNAVAILABLE');
    client.restart();
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
    expect((await session.execute({ source: 'text(1)' })).cellId).to.equal('g3:1');
    hostPid();
  });

  for (const [how, code] of [
    ['an abort', 'ABORTED'],
    ['a timeout', 'TIMEOUT'],
  ] as const) {
    it(`terminates the cell of an execute stopped by ${how}`, async () => {
      const session = await start().openSession();
      const controller = new AbortController();
      const options = code === 'ABORTED' ? { signal: controller.signal } : { timeoutMs: 200 };
      const executing = session.execute({ source: FOREVER, yieldTimeMs: 60_000 }, options);
      setTimeout(() => controller.abort(), 200);
      await rejectsWith(executing, code);
      await until('the cell to be terminated', () => delegate.closed.length === 1);
      expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'terminated' }]);
      hostPid();
    });
  }

  it('holds a new wait back until the host answered the aborted one', async () => {
    const session = await start().openSession();
    await session.execute({ source: FOREVER, yieldTimeMs: 10 });
    for (let round = 0; round < 3; round++) {
      const controller = new AbortController();
      // The wait and its $/cancelRequest leave in one write; were the next wait not held back
      // until the host answered the cancelled one, the host would refuse it with CellBusy.
      const waiting = session.wait('1', { yieldTimeMs: 60_000 }, { signal: controller.signal });
      controller.abort();
      await rejectsWith(waiting, 'ABORTED');
      const next = await session.wait('1', { yieldTimeMs: 100 });
      expect(next).to.deep.include({ cellId: '1', status: 'yielded' });
    }
    hostPid();
  });

  it('yields the active observer of a cell on yield()', async () => {
    const session = await start().openSession();
    await session.execute({ source: FOREVER, yieldTimeMs: 10 });
    const waiting = session.wait('1', { yieldTimeMs: 60_000 });
    // yield() answers false, and changes nothing, until the wait is observing on the host.
    let yielded = false;
    while (!yielded) ({ yielded } = await session.yield('1'));
    expect(await waiting).to.deep.include({ cellId: '1', status: 'yielded' });
    expect(await session.terminate('1')).to.deep.include({ cellId: '1', status: 'terminated' });
    hostPid();
  });

  it('closes a session the host opened after its openSession was abandoned', async () => {
    start({ hostLimits: { maxSessions: 1 } });
    await rejectsWith(client.openSession({}, { timeoutMs: 1 }), 'TIMEOUT');
    // With room for one session, a new open only succeeds once the abandoned one was closed.
    const deadline = Date.now() + 20_000;
    let session: CodeModeSession | undefined;
    while (session === undefined) {
      try {
        session = await client.openSession();
      } catch (error) {
        expect(error).to.be.instanceOf(RpcError);
        expect((error as RpcError).rpcCode).to.equal(ErrorCode.Overloaded);
        expect(Date.now(), 'the abandoned session is still open').to.be.below(deadline);
        await sleep(50);
      }
    }
    expect(session.generation).to.equal(1);
    hostPid();
  });

  it('resolves session.close() only after every cell of every generation was reported', async () => {
    // Aborted tool calls settle only when the test says so, so "still settling" is a fact, not a race.
    const settle: Array<() => void> = [];
    start({
      delegate: Object.assign(delegate, {
        invokeTool: (call: { cellId: string }, signal: AbortSignal) =>
          new Promise((resolve) =>
            signal.addEventListener('abort', () => settle.push(() => resolve(delegate.events.push(`settled ${call.cellId}`)))),
          ),
      }),
    });
    const session = await client.openSession();
    await session.execute({ source: 'await tools.slow()', tools: [{ name: 'slow' }], yieldTimeMs: 100 });
    await killHost();
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
    const second = await session.execute({ source: 'await tools.slow()', tools: [{ name: 'slow' }], yieldTimeMs: 100 });
    expect(second).to.deep.include({ cellId: 'g2:1', status: 'yielded' });
    expect(delegate.closed, 'generation 1 is still settling').to.deep.equal([]);
    const closing = session.close().then(() => delegate.events.push('session closed'));
    await until('both tool calls to be aborted', () => settle.length === 2);
    expect(delegate.events).to.not.include('session closed');
    for (const release of settle) release();
    await closing;
    expect(delegate.events.slice(-5)).to.have.members(['settled 1', 'closed 1 lost', 'settled g2:1', 'closed g2:1 terminated', 'session closed']);
    expect(delegate.events.at(-1)).to.equal('session closed');
    expect(delegate.events.indexOf('settled 1')).to.be.below(delegate.events.indexOf('closed 1 lost'));
    expect(delegate.events.indexOf('settled g2:1')).to.be.below(delegate.events.indexOf('closed g2:1 terminated'));
    await rejectsWith(session.execute({ source: 'text(1)' }), 'SESSION_CLOSED');
    hostPid();
  });

  it('keeps client memory flat over thousands of cells (10,000 run against the fake host in fakeHosts.test)', async function () {
    this.timeout(60_000);
    let closed = 0;
    const session = await start({ delegate: { invokeTool: () => null, cellClosed: () => void closed++ } }).openSession();
    const run = async (count: number) => {
      for (let i = 0; i < count; i++) await session.execute({ source: 'text(1)' });
    };
    await run(300);
    const before = settledHeapUsed();
    await run(2000);
    const after = settledHeapUsed();
    expect(after - before, `heap went from ${before} to ${after}`).to.be.below(1_000_000);
    await until('every cell to be reported', () => closed === 2300);
    expect((await session.execute({ source: 'text(1)' })).cellId).to.equal('2301');
    hostPid();
  });

  it('leaves no child after close() and refuses later calls with SESSION_CLOSED', async () => {
    const session = await start().openSession();
    await session.execute({ source: FOREVER, yieldTimeMs: 10 });
    const pid = hostPid();
    await client.close();
    expectGone(pid);
    expect(client.hostPid).to.equal(undefined);
    expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'terminated' }]);
    await rejectsWith(session.execute({ source: 'text(1)' }), 'SESSION_CLOSED');
    await rejectsWith(client.openSession(), 'SESSION_CLOSED');
  });
});

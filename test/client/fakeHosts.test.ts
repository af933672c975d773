import { expect } from 'chai';
import { CodeModeClient, type CellClosedEvent } from '../../client/index.js';
import { expectGone, fakeHost, RecordingDelegate, rejectsWith, settledHeapUsed, sleep, StderrLog, until } from './helpers.js';

describe('CodeModeClient against misbehaving hosts', function () {
  let client: CodeModeClient | undefined;
  let log: StderrLog;
  let delegate: RecordingDelegate;

  beforeEach(() => {
    log = new StderrLog();
    delegate = new RecordingDelegate({ add: () => 5 });
  });

  afterEach(async () => {
    await client?.close();
    client = undefined;
    expectGone(...log.pids);
  });

  function start(command: string[], options: Partial<ConstructorParameters<typeof CodeModeClient>[0]> = {}): CodeModeClient {
    client = new CodeModeClient({ delegate, command, onStderr: log.onStderr, closeStepMs: 300, ...options });
    return client;
  }

  it('reports a host that exits during the handshake as HOST_LOST with its status and stderr', async () => {
    const c = start(fakeHost('exitsDuringHandshake'));
    const error = await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(error.message).to.contain('code-mode host exited with status 3 during the handshake');
    expect(error.message).to.contain('fatal: cannot start the fake host');
    expect(log.pids).to.have.length(1);
    expectGone(...log.pids);
  });

  it('reports a command that cannot be spawned as HOST_LOST', async () => {
    const c = start(['/nonexistent/codemode-host']);
    const error = await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(error.message).to.contain('code-mode host could not be started: spawn /nonexistent/codemode-host ENOENT');
  });

  it('kills a host that does not answer initialize within handshakeTimeoutMs', async () => {
    const c = start(fakeHost('neverAnswers'), { handshakeTimeoutMs: 300 });
    const started = Date.now();
    const error = await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(error.message).to.contain('code-mode host did not answer initialize within 300 ms');
    expect(Date.now() - started).to.be.below(3000);
    expectGone(...log.pids);
  });

  it('treats garbage on stdout as child loss', async () => {
    const c = start(fakeHost('garbageStdout'));
    const error = await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(error.message).to.contain('code-mode host wrote invalid data to stdout');
    expectGone(...log.pids);
  });

  it('leaves no child behind on close(), even one that ignores SIGTERM', async () => {
    const c = start(fakeHost('ignoresSigterm'));
    await c.openSession();
    const pid = c.hostPid;
    expect(pid).to.equal(log.pids[0]);
    const started = Date.now();
    await c.close();
    // shutdown reply, exit after EOF, exit after SIGTERM: three 300 ms steps, then SIGKILL.
    expect(Date.now() - started).to.be.at.least(800);
    expect(log.lines).to.include('ignoring SIGTERM');
    expect(c.hostPid).to.equal(undefined);
    expectGone(pid);
  });

  it('fails an open in flight with HOST_LOST naming the signal when the host is killed', async () => {
    const c = start(fakeHost('stallsOpen'));
    const opening = c.openSession();
    await until('the host to start', () => c.hostPid !== undefined);
    process.kill(c.hostPid as number, 'SIGKILL');
    const error = await rejectsWith(opening, 'HOST_LOST');
    expect(error.message).to.contain('code-mode host was killed by SIGKILL');
    expectGone(...log.pids);
  });

  it('fails calls in flight with HOST_LOST when the host answers an unknown request id', async () => {
    const c = start(fakeHost('misbehaves', 'unknown-response-id'));
    const session = await c.openSession();
    const error = await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_LOST');
    expect(error.message).to.contain('code-mode host answered unknown request id 999');
    expectGone(log.pids[0]);
  });

  it('fails a wait answered for another cell with PROTOCOL, then rebinds once with HOST_REPLACED', async () => {
    const c = start(fakeHost('misbehaves', 'mismatched-cell'));
    const session = await c.openSession();
    const first = await session.execute({ source: 'yield_control()' });
    expect(first.cellId).to.equal('1');
    const error = await rejectsWith(session.wait('1'), 'PROTOCOL');
    expect(error.message).to.contain('code-mode host answered cell/wait for cell 1 with cell 2');
    await until('cell 1 to be reported', () => delegate.closed.length === 1);
    expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'lost' }]);
    expectGone(log.pids[0]);
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
    const next = await session.execute({ source: 'text(1)' });
    expect(next.cellId).to.equal('g2:1');
    expect(log.pids).to.have.length(2);
  });

  it('reports a cell once when the host closes it twice, and drops that host', async () => {
    const c = start(fakeHost('misbehaves', 'second-closed'));
    const session = await c.openSession();
    const first = await session.execute({ source: 'text(1)' });
    expect(first).to.include({ cellId: '1', status: 'completed' });
    await until('the host to be killed', () => c.hostPid === undefined);
    expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'completed' }]);
    expectGone(log.pids[0]);
    await rejectsWith(session.execute({ source: 'text(1)' }), 'HOST_REPLACED');
  });

  for (const mode of ['delegate-after-close', 'unknown-session']) {
    it(`drops a host that asks for a tool call in an unknown cell (${mode}) without calling the delegate`, async () => {
      const c = start(fakeHost('misbehaves', mode));
      const session = await c.openSession();
      await session.execute({ source: 'text(1)' });
      await until('the host to be killed', () => c.hostPid === undefined);
      expect(delegate.calls).to.deep.equal([]);
      expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'completed' }]);
      expectGone(log.pids[0]);
    });
  }

  it('drops a host that asks for a tool call with params that break the schema, without calling the delegate', async () => {
    const c = start(fakeHost('misbehaves', 'invalid-params'));
    const session = await c.openSession();
    await session.execute({ source: 'text(1)' });
    await until('the host to be killed', () => c.hostPid === undefined);
    expect(delegate.calls).to.deep.equal([]);
    expectGone(log.pids[0]);
  });

  /**
   * A session on the slow-cancel fake host whose cell "1" had a wait aborted after it reached the
   * host; the host answers that wait only when the test sends cell/yield.
   */
  async function sessionWithAbortedWait() {
    const c = start(fakeHost('slowCancel'));
    const session = await c.openSession();
    await session.execute({ source: 'yield_control()' });
    const controller = new AbortController();
    const aborted = rejectsWith(session.wait('1', { yieldTimeMs: 60_000 }, { signal: controller.signal }), 'ABORTED');
    await until('the wait to reach the host', () => log.lines.includes('received cell/wait'));
    controller.abort();
    await aborted;
    return session;
  }

  it('holds a new wait back until the host answered the aborted one, so it never gets CellBusy', async () => {
    const session = await sessionWithAbortedWait();
    const next = session.wait('1', { yieldTimeMs: 10 });
    // The cancel went out before this yield, so the host answers the cancelled wait first.
    expect(await session.yield('1')).to.deep.equal({ yielded: false });
    expect(await next).to.deep.include({ cellId: '1', status: 'yielded' });
    await until('the second wait to be logged', () => log.lines.filter((line) => line === 'received cell/wait').length === 2);
    // Only once the host answered the cancelled wait was the new one sent.
    expect(log.lines.filter((line) => line.includes('wait'))).to.deep.equal(['received cell/wait', 'answered cancelled wait', 'received cell/wait']);
    expect(log.lines).to.not.include('answered CellBusy');
  });

  it('fails a held-back wait whose own caller gave up with ABORTED, without sending it', async () => {
    const session = await sessionWithAbortedWait();
    await rejectsWith(session.wait('1', { yieldTimeMs: 10 }, { timeoutMs: 100 }), 'TIMEOUT');
    expect(await session.yield('1')).to.deep.equal({ yielded: false });
    expect(await session.wait('1', { yieldTimeMs: 10 })).to.deep.include({ cellId: '1', status: 'yielded' });
    expect(log.lines).to.not.include('answered CellBusy');
  });

  it('stops restarting after more than maxRestarts losses, until restart()', async () => {
    const c = start(fakeHost('exitsDuringHandshake'), { restart: { maxRestarts: 2, windowMs: 60_000 } });
    for (let attempt = 0; attempt < 3; attempt++) await rejectsWith(c.openSession(), 'HOST_LOST');
    const error = await rejectsWith(c.openSession(), 'HOST_UNAVAILABLE');
    expect(error.message).to.contain('lost 3 times within 60000 ms');
    expect(error.message).to.contain('exited with status 3 during the handshake');
    expect(log.pids).to.have.length(3);
    c.restart();
    await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(log.pids).to.have.length(4);
  });

  it('allows restarts again once the window has passed', async () => {
    const c = start(fakeHost('exitsDuringHandshake'), { restart: { maxRestarts: 0, windowMs: 300 } });
    await rejectsWith(c.openSession(), 'HOST_LOST');
    await rejectsWith(c.openSession(), 'HOST_UNAVAILABLE');
    await sleep(350);
    await rejectsWith(c.openSession(), 'HOST_LOST');
    expect(log.pids).to.have.length(2);
  });

  it('keeps memory flat over 10,000 cells run one after another', async function () {
    this.timeout(120_000);
    let closed = 0;
    let lastClosed: CellClosedEvent | undefined;
    const c = start(fakeHost('instantCells'), {
      delegate: { invokeTool: () => null, cellClosed: (event) => ((lastClosed = event), closed++) },
    });
    const session = await c.openSession();
    const run = async (count: number) => {
      for (let i = 0; i < count; i++) await session.execute({ source: 'x' });
    };
    await run(500);
    const before = settledHeapUsed();
    await run(10_000);
    const after = settledHeapUsed();
    // The cells are gone, so growth is noise, not 10,000 records of anything.
    expect(after - before, `heap went from ${before} to ${after}`).to.be.below(1_000_000);
    await until('every cell to be reported', () => closed === 10_500);
    expect(lastClosed).to.deep.equal({ sessionId: session.id, cellId: '10500', status: 'completed' });
  });
});

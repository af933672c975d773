import { expect } from 'chai';
import { CodeModeClient, type RpcError, type SessionResetEvent } from '../../client/index.js';
import { ErrorCode } from '../../schemas/index.js';
import { expectGone, RecordingDelegate, rejectsWith, until } from './helpers.js';

describe('CodeModeClient: persistent sessions with the real host', function () {
  this.timeout(30_000);
  let client: CodeModeClient;
  const pids = new Set<number>();

  beforeEach(() => {
    client = new CodeModeClient({ delegate: new RecordingDelegate({ rows: () => [1, 2, 3] }), closeStepMs: 1000 });
    pids.clear();
  });

  afterEach(async () => {
    await client.close();
    expectGone(...pids);
  });

  it('keeps variables between cells and shows the last expression', async () => {
    const session = await client.openSession({ persistent: true });
    expect(session.persistent).to.equal(true);
    await session.execute({ source: 'const x = await tools.rows()', tools: [{ name: 'rows' }] });
    const next = await session.execute({ source: 'x.length' });
    expect(next).to.deep.include({ cellId: '2', status: 'completed', error: null, items: [{ type: 'text', text: '3' }] });
  });

  it('reports a reset to onSessionReset, with the public cell id, before the cell response', async () => {
    const resets: SessionResetEvent[] = [];
    const session = await client.openSession({ persistent: true, limits: { cpuTimeLimitMs: 100 }, onSessionReset: (event) => resets.push(event) });
    await session.execute({ source: 'const gone = 1' });
    const stopped = await session.execute({ source: 'while (true) {}' });
    expect(resets).to.deep.equal([{ sessionId: session.id, cellId: '2', reason: 'cpuTimeLimit' }]);
    expect(stopped.error).to.match(/its variables were lost/);
    expect((await session.execute({ source: 'typeof gone' })).items).to.deep.equal([{ type: 'text', text: 'undefined' }]);
    expect(resets).to.have.length(1);
  });

  it('fails an execute while a cell runs with RpcError SessionBusy naming the cell', async () => {
    const session = await client.openSession({ persistent: true });
    const running = await session.execute({ source: 'await new Promise(() => {})', yieldTimeMs: 0 });
    const busy = (await rejectsWith(session.execute({ source: '1' }), 'RPC')) as RpcError;
    expect(busy.rpcCode).to.equal(ErrorCode.SessionBusy);
    expect(busy.data).to.deep.include({ kind: 'SessionBusy', cellId: running.cellId });
    await session.terminate(running.cellId);
    expect((await session.execute({ source: '1 + 1' })).items).to.deep.equal([{ type: 'text', text: '2' }]);
  });

  it('starts the execute after an aborted one once the client has terminated the aborted cell, instead of finding the session busy', async () => {
    const abort = new AbortController();
    const stopper = new CodeModeClient({ delegate: new RecordingDelegate({ stop: () => abort.abort() }), closeStepMs: 1000 });
    try {
      const session = await stopper.openSession({ persistent: true });
      await rejectsWith(session.execute({ source: 'await tools.stop(); await new Promise(() => {})', tools: [{ name: 'stop' }] }, { signal: abort.signal }), 'ABORTED');
      expect(await session.execute({ source: '1 + 1' })).to.deep.include({ cellId: '2', status: 'completed', error: null, items: [{ type: 'text', text: '2' }] });
    } finally {
      await stopper.close();
    }
  });

  it('names the running cell of SessionBusy by its public id after a host replacement', async () => {
    const session = await client.openSession({ persistent: true });
    const pid = client.hostPid as number;
    pids.add(pid);
    process.kill(pid, 'SIGKILL');
    await until(`host ${pid} to be reaped`, () => client.hostPid !== pid);
    await rejectsWith(session.execute({ source: '1' }), 'HOST_REPLACED');
    const running = await session.execute({ source: 'await new Promise(() => {})', yieldTimeMs: 0 });
    expect(running.cellId).to.match(/^g2:\d+$/);
    const busy = (await rejectsWith(session.execute({ source: '1' }), 'RPC')) as RpcError;
    expect(busy.rpcCode).to.equal(ErrorCode.SessionBusy);
    expect(busy.data).to.deep.include({ kind: 'SessionBusy', sessionId: session.id, cellId: running.cellId });
    expect(busy.message).to.equal(`Persistent session ${session.id} is running cell ${running.cellId}; its cells run one at a time. Wait for it or terminate it first.`);
    await session.terminate(running.cellId);
  });

  it('keeps HOST_REPLACED for a lost host: the new generation is persistent again, with a fresh realm and no reset event', async () => {
    const resets: SessionResetEvent[] = [];
    const session = await client.openSession({ persistent: true, onSessionReset: (event) => resets.push(event) });
    await session.execute({ source: 'const before = 1' });
    const pid = client.hostPid as number;
    pids.add(pid);
    process.kill(pid, 'SIGKILL');
    await until(`host ${pid} to be reaped`, () => client.hostPid !== pid);
    await rejectsWith(session.execute({ source: 'before' }), 'HOST_REPLACED');
    await session.execute({ source: 'const after = 2' });
    expect((await session.execute({ source: '[typeof before, after]' })).items).to.deep.equal([{ type: 'text', text: '["undefined",2]' }]);
    expect(resets).to.deep.equal([]);
  });
});

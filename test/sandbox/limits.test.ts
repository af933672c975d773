import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { Sandbox } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { program, recordingEvents, runCell, sleep, texts } from './harness.js';

describe('sandbox: limits and hostile cells', () => {
  let sandbox: Sandbox;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());

  it('stops a CPU loop at its CPU time limit', async () => {
    const started = Date.now();
    const { exit } = await runCell(sandbox, `await null; while (true) {}`, { limits: { cpuTimeLimitMs: 100 } });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its CPU time limit of 100 ms' });
    expect(Date.now() - started).to.be.below(1000);
  });

  it('counts CPU time only while JavaScript runs', async () => {
    const { exit, rec } = await runCell(sandbox, `text(await tools.echo('slow'));`, {
      limits: { cpuTimeLimitMs: 100 },
      tool: async () => {
        await sleep(300);
        return { ok: true, result: 'done' };
      },
    });
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['done']);
  });

  it('stops a cell at its wall time limit', async () => {
    const { exit } = await runCell(sandbox, `await new Promise(() => {});`, { limits: { wallTimeLimitMs: 200 } });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its wall time limit of 200 ms' });
  });

  it('stops a memory bomb at its heap limit; the next cell runs fine', async () => {
    const { exit } = await runCell(sandbox, `const a = []; while (true) a.push({ n: a.length, s: 'x' + a.length });`, {
      limits: { heapLimitMb: 16 },
    });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its heap limit of 16 MB' });
    const next = await runCell(sandbox, `text('fine')`, { limits: { heapLimitMb: 16 } });
    expect(next.exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(next.rec)).to.deep.equal(['fine']);
  });

  it('stops a memory bomb that starts while a tool answer is delivered', async () => {
    const { exit } = await runCell(sandbox, `await tools.echo(1); const a = []; while (true) a.push({ n: a.length, s: 'x' + a.length });`, {
      limits: { heapLimitMb: 16 },
    });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its heap limit of 16 MB' });
  });

  it('stops a CPU loop that starts while a tool answer is delivered', async () => {
    const { exit } = await runCell(sandbox, `await tools.echo(1); while (true) {}`, { limits: { cpuTimeLimitMs: 100 } });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its CPU time limit of 100 ms' });
  });

  it('reports deep recursion as a RangeError', async () => {
    const { exit } = await runCell(sandbox, `function f(n) { return f(n + 1) + 1; }\nf(0);`);
    expect(exit.kind === 'completed' && exit.error).to.match(/^RangeError: Maximum call stack size exceeded/);
  });

  it('stops a toJSON that never returns inside text() by the CPU limit', async () => {
    const { exit } = await runCell(sandbox, `text({ toJSON() { for (;;) {} } })`, { limits: { cpuTimeLimitMs: 150 } });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its CPU time limit of 150 ms' });
  });

  it('stops a toJSON that never returns inside text() by terminate', async () => {
    const { events } = recordingEvents();
    const run = await sandbox.start(program(`text({ toJSON() { for (;;) {} } })`), events);
    await sleep(50);
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated' });
  });

  it('batches an output flood into few host calls, in order', async () => {
    const { exit, rec } = await runCell(sandbox, `for (let i = 0; i < 100000; i++) text(i);`);
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(rec.items.length).to.equal(100000);
    expect(texts(rec)[99999]).to.equal('99999');
    expect(texts(rec).every((t, i) => t === String(i))).to.equal(true);
    expect(rec.batches.length).to.be.below(1000);
    expect(rec.droppedBytes).to.equal(0);
  });

  it('holds at most maxOutputBytes pending and counts what it drops', async () => {
    const { exit, rec } = await runCell(sandbox, `const line = 'x'.repeat(600); for (let i = 0; i < 1000; i++) text(line);`, {
      limits: { maxOutputBytes: 1000 },
    });
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(rec.droppedBytes).to.be.above(0);
    expect(rec.items.length * 600 + rec.droppedBytes).to.equal(600_000);
    for (const batch of rec.batches) expect(batch.length * 600).to.be.at.most(1000);
  });

  it('drops a single item larger than maxOutputBytes', async () => {
    const { rec } = await runCell(sandbox, `text('x'.repeat(5000)); text('small');`, { limits: { maxOutputBytes: 1000 } });
    expect(texts(rec)).to.deep.equal(['small']);
    expect(rec.droppedBytes).to.equal(5000);
  });

  it('lets other cells run while one loops', async () => {
    const { events } = recordingEvents();
    const looping = await sandbox.start(program(`await null; while (true) {}`), events);
    const other = await runCell(sandbox, `text(1 + 1)`);
    expect(texts(other.rec)).to.deep.equal(['2']);
    looping.terminate();
    expect(await looping.done).to.deep.equal({ kind: 'terminated' });
  });
});

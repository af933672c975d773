import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { Sandbox } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { program, recordingEvents, runCell, sleep, texts } from './harness.js';

/** Median start() latency over `count` sequential cells, waiting between them so the pool refills. */
async function medianStartMs(sandbox: Sandbox, count: number, heapLimitMb: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    await sleep(40);
    const { events } = recordingEvents();
    const started = process.hrtime.bigint();
    const run = await sandbox.start(program(`text(1)`, { limits: { heapLimitMb } }), events);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    await run.done;
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

describe('sandbox: isolate pool', () => {
  let sandbox: Sandbox;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());

  it('gives every cell a fresh isolate: nothing leaks from an earlier cell', async () => {
    for (let i = 0; i < 6; i++) {
      const { exit, rec } = await runCell(
        sandbox,
        `text([typeof leaked, ({}).polluted, typeof Array.prototype.extra, typeof JSON.stringify.patched]);
         globalThis.leaked = ${i}; Object.prototype.polluted = ${i}; Array.prototype.extra = () => 1; JSON.stringify.patched = 1;`,
      );
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      expect(texts(rec)).to.deep.equal(['["undefined",null,"undefined","undefined"]']);
    }
  });

  it('serves other heap limits, fresh each time', async () => {
    for (let i = 0; i < 3; i++) {
      const { rec } = await runCell(sandbox, `text(typeof leaked); globalThis.leaked = 1;`, { limits: { heapLimitMb: 48 } });
      expect(texts(rec)).to.deep.equal(['undefined']);
    }
  });

  it('keeps working after dispose, without a pool', async () => {
    const disposed = createSandbox({ logger: silentLogger });
    disposed.dispose();
    const { exit } = await runCell(disposed, `text(1)`);
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
  });

  it('measures start() latency with and without the pool', async function () {
    this.timeout(30_000);
    const unpooled = createSandbox({ logger: silentLogger, poolSize: 0 });
    try {
      const withPool = await medianStartMs(sandbox, 9, 128);
      const otherLimit = await medianStartMs(sandbox, 9, 64);
      const withoutPool = await medianStartMs(unpooled, 9, 128);
      console.log(
        `      start() median: pooled ${withPool.toFixed(2)} ms, pooled (64 MB) ${otherLimit.toFixed(2)} ms, unpooled ${withoutPool.toFixed(2)} ms`,
      );
    } finally {
      unpooled.dispose();
    }
  });
});

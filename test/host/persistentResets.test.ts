import { expect } from 'chai';
import { withHost, type RawHost } from '../support/rawHost.js';
import { execute, openSession, texts, type CellResponse } from '../support/cells.js';
import { cellIn, openPersistent, requestAt, resetsOf } from '../support/persistent.js';

const LOST = /Session p was reset \((\w+): .*\): its variables were lost\. The next cell starts in a fresh realm; the store \(load\) is kept\.$/;

/** Sets state and the store, runs `source` as the cell that loses the realm, and checks the reset's report. */
async function expectReset(host: RawHost, reason: string, run: () => Promise<{ response: CellResponse; index: number }>) {
  await cellIn(host, 'p', `const state = 'before'; store('kept', 'stored')`);
  const { response, index } = await run();
  const resets = resetsOf(host, 'p');
  expect(resets.map((r) => r.params)).to.deep.equal([{ sessionId: 'p', cellId: response.cellId, reason }]);
  expect(resets[0]!.index).to.be.below(index);
  expect(response.error).to.match(LOST);
  expect(LOST.exec(response.error!)![1]).to.equal(reason);
  expect(texts(await cellIn(host, 'p', `[typeof state, load('kept')]`))).to.deep.equal(['["undefined","stored"]']);
  expect(resetsOf(host, 'p')).to.have.length(1);
  return response;
}

async function executeAt(host: RawHost, source: string, extra: Record<string, unknown> = {}) {
  const { response, index } = await requestAt(host, 'cell/execute', { sessionId: 'p', source, ...extra });
  return { response: response.result as CellResponse, index };
}

describe('persistent sessions: resets', function () {
  it('terminate of a running cell: reason terminated', () =>
    withHost(async (host) => {
      await openPersistent(host);
      const response = await expectReset(host, 'terminated', async () => {
        const started = await cellIn(host, 'p', `await new Promise(() => {})`, { yieldTimeMs: 0 });
        const { response, index } = await requestAt(host, 'cell/terminate', { sessionId: 'p', cellId: started.cellId });
        return { response: response.result as CellResponse, index };
      });
      expect(response.status).to.equal('terminated');
    }));

  it('CPU time limit: reason cpuTimeLimit', () =>
    withHost(async (host) => {
      await openPersistent(host, 'p', { cpuTimeLimitMs: 200 });
      const response = await expectReset(host, 'cpuTimeLimit', () => executeAt(host, `while (true) {}`));
      expect(response.error).to.match(/^cell exceeded its CPU time limit of 200 ms\n/);
    }));

  it('wall time limit: reason wallTimeLimit', () =>
    withHost(async (host) => {
      await openPersistent(host, 'p', { wallTimeLimitMs: 300 });
      const response = await expectReset(host, 'wallTimeLimit', () => executeAt(host, `await new Promise(() => {})`));
      expect(response.error).to.match(/^cell exceeded its wall time limit of 300 ms\n/);
    }));

  it('50 MB of state is bounded by heapLimitMb: reason heapLimit; the host and other sessions are untouched', () =>
    withHost(async (host) => {
      await openPersistent(host, 'p', { heapLimitMb: 32 });
      await openPersistent(host, 'other');
      await openSession(host, 's');
      await cellIn(host, 'other', `const mine = 'still here'`);
      await cellIn(host, 'p', `const chunks = []`);
      const response = await expectReset(host, 'heapLimit', async () => {
        // 10 MB of doubles per cell, five cells: 50 MB, past the 32 MB the realm may hold.
        for (let i = 0; i < 5; i++) {
          const at = await executeAt(host, `chunks.push(new Array(1310720).fill(0.5)); chunks.length`);
          if (at.response.error !== null) return at;
        }
        throw new Error('50 MB of state fit in a 32 MB realm');
      });
      expect(response.error).to.match(/^cell exceeded its heap limit of 32 MB\n/);
      expect(texts(await cellIn(host, 'other', `mine`))).to.deep.equal(['still here']);
      expect(texts(await execute(host, { source: `text('ordinary')` }))).to.deep.equal(['ordinary']);
      expect(resetsOf(host, 'other')).to.deep.equal([]);
    }));
});

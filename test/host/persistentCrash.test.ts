/**
 * Persistent sessions when their sandbox process dies: the realm lives in that process, so a crash
 * loses it. Every cell running there gets exactly one `session/reset` reason `crashed` before its
 * response; an idle session's next cell gets it (the protocol reports resets with a cell). The
 * store survives, and the next cell runs in a fresh realm that keeps variables again.
 */
import { expect } from 'chai';
import { texts, type CellResponse } from '../support/cells.js';
import { sandboxPids } from '../support/containment.js';
import { NO_ANSWER, withHost, type Message, type RawHost } from '../support/rawHost.js';
import { cellIn, openPersistent, requestAt, resetsOf } from '../support/persistent.js';

const lostLine = (sessionId: string) =>
  `Session ${sessionId} was reset (crashed: the sandbox failed or its process exited): its variables were lost. The next cell starts in a fresh realm; the store (load) is kept.`;

/** Kills the host's only sandbox process once `count` tool calls named `hang` have arrived; they are never answered. */
function killOnHangs(host: RawHost, count: number): { killed: () => number } {
  let hangs = 0;
  let victim = -1;
  host.delegate = (m: Message) => {
    const params = m.params as { tool?: { name: string } };
    if (params.tool?.name !== 'hang') return { result: null };
    if (++hangs === count) {
      const pids = sandboxPids(host);
      expect(pids).to.have.length(1);
      victim = pids[0]!;
      process.kill(victim, 'SIGKILL');
    }
    return NO_ANSWER;
  };
  return { killed: () => victim };
}

async function executeAt(host: RawHost, sessionId: string, source: string, extra: Record<string, unknown> = {}) {
  const { response, index } = await requestAt(host, 'cell/execute', { sessionId, source, ...extra });
  return { response: response.result as CellResponse, index };
}

async function setUp(host: RawHost, sessionId: string): Promise<void> {
  await openPersistent(host, sessionId);
  await cellIn(host, sessionId, `const state = 'before ${sessionId}'; store('kept', 'stored ${sessionId}')`);
  expect(texts(await cellIn(host, sessionId, 'state'))).to.deep.equal([`before ${sessionId}`]);
}

/** After the crash: the variables are gone, the store is kept, and the fresh realm keeps variables again. */
async function expectFreshRealm(host: RawHost, sessionId: string): Promise<void> {
  expect(texts(await cellIn(host, sessionId, `[typeof state, load('kept')]`))).to.deep.equal([`["undefined","stored ${sessionId}"]`]);
  await cellIn(host, sessionId, 'const again = 2');
  expect(texts(await cellIn(host, sessionId, 'again + 1'))).to.deep.equal(['3']);
}

describe('persistent sessions: sandbox process crashes', function () {
  it('a SIGKILL mid-cell: one session/reset crashed before the response, store intact, next cell in a fresh realm', () =>
    withHost(
      async (host) => {
        await setUp(host, 'p');
        const kill = killOnHangs(host, 1);
        const { response, index } = await executeAt(host, 'p', 'await tools.hang()', { tools: [{ name: 'hang' }] });
        expect(kill.killed()).to.be.above(0);
        expect(response).to.deep.include({ status: 'completed', error: `sandbox process exited: killed by SIGKILL\n${lostLine('p')}` });
        const resets = resetsOf(host, 'p');
        expect(resets.map((r) => r.params)).to.deep.equal([{ sessionId: 'p', cellId: response.cellId, reason: 'crashed' }]);
        expect(resets[0]!.index).to.be.below(index);
        await expectFreshRealm(host, 'p');
        expect(resetsOf(host, 'p')).to.have.length(1);
        expect(sandboxPids(host)).to.not.include(kill.killed());
      },
      ['--max-sandbox-processes', '1'],
    ));

  it('two persistent sessions in one sandbox process both reset; an idle third is told with its next cell', () =>
    withHost(
      async (host) => {
        for (const id of ['a', 'b', 'c']) await setUp(host, id);
        const kill = killOnHangs(host, 2);
        const hang = { tools: [{ name: 'hang' }] };
        const [a, b] = await Promise.all([executeAt(host, 'a', 'await tools.hang()', hang), executeAt(host, 'b', 'await tools.hang()', hang)]);
        expect(kill.killed()).to.be.above(0);
        for (const [id, { response, index }] of [['a', a], ['b', b]] as const) {
          expect(response).to.deep.include({ status: 'completed', error: `sandbox process exited: killed by SIGKILL\n${lostLine(id)}` });
          const resets = resetsOf(host, id);
          expect(resets.map((r) => r.params)).to.deep.equal([{ sessionId: id, cellId: response.cellId, reason: 'crashed' }]);
          expect(resets[0]!.index).to.be.below(index);
        }
        // c had no cell running: nothing is sent until its next cell, which runs in a fresh realm.
        expect(resetsOf(host, 'c')).to.deep.equal([]);
        const next = await executeAt(host, 'c', `[typeof state, load('kept')]`);
        expect(next.response).to.deep.include({ status: 'completed', error: null });
        expect(texts(next.response)).to.deep.equal(['["undefined","stored c"]']);
        const resets = resetsOf(host, 'c');
        expect(resets.map((r) => r.params)).to.deep.equal([{ sessionId: 'c', cellId: next.response.cellId, reason: 'crashed' }]);
        expect(resets[0]!.index).to.be.below(next.index);
        for (const id of ['a', 'b']) await expectFreshRealm(host, id);
        await cellIn(host, 'c', 'const again = 2');
        expect(texts(await cellIn(host, 'c', 'again + 1'))).to.deep.equal(['3']);
        for (const id of ['a', 'b', 'c']) expect(resetsOf(host, id)).to.have.length(1);
      },
      ['--max-sandbox-processes', '1'],
    ));
});

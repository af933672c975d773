/**
 * A cell takes back what the writer refused to send (server/handover.ts): its final result becomes
 * pending again, its lent output is buffered again in its place, and until a loan is ruled on the
 * cell neither settles nor ends another observation.
 */
import { expect } from 'chai';
import type { CellResponse } from '../../schemas/index.js';
import { handoverOf, type Handover } from '../../server/handover.js';
import { harness, tick, token } from './cellHarness.js';

function handover(response: CellResponse): Handover {
  const found = handoverOf(response);
  if (found === undefined) throw new Error(`response ${JSON.stringify(response)} carries no handover`);
  return found;
}

const texts = (response: CellResponse) => response.items.map((item) => (item.type === 'text' ? item.text : item.imageUrl));

/** A cell whose execute has yielded (empty, so nothing was lent): its runtime runs until `run.exit`. */
async function started(afterResponses: 'immediate' | 'held' = 'immediate') {
  const parts = harness(afterResponses);
  const first = await parts.cell.execute(parts.program, 0, undefined, token(), performance.now());
  expect(first.status).to.equal('yielded');
  expect(handoverOf(first)).to.equal(undefined);
  return parts;
}

describe('Cell: handovers the writer refused', () => {
  it('makes a refused final result pending again, back in its table, and says so in cell/closed', async () => {
    const { cell, run, closed, table, events } = await started();
    events().output([{ type: 'text', text: 'result' }], 0, 0);
    const waiting = cell.wait(60_000, undefined, token(), performance.now());
    run.exit({ kind: 'completed', error: null });
    const refused = await waiting;
    expect(handover(refused)).to.deep.include({ cellId: '1', what: 'result' });
    handover(refused).refused();
    await tick();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'completed', resultPending: true }]);
    expect(table).to.deep.equal(['collected', 'returned']);
    const collected = await cell.wait(undefined, undefined, token(), performance.now());
    expect(texts(collected)).to.deep.equal(['result']);
    handover(collected).sent();
    expect(table).to.deep.equal(['collected', 'returned', 'collected']);
  });

  it('counts a result delivered when one of the responses carrying it is sent', async () => {
    const { cell, run, closed, table } = await started();
    const responses = [cell.wait(60_000, undefined, token(), performance.now()), cell.terminate(performance.now()), cell.terminate(performance.now())];
    run.exit({ kind: 'terminated' });
    const [observed, first, second] = (await Promise.all(responses)) as [CellResponse, CellResponse, CellResponse];
    handover(observed).refused();
    handover(first).sent();
    handover(second).refused();
    await tick();
    expect(closed[0]).to.include({ status: 'terminated', resultPending: false });
    expect(table).to.deep.equal(['collected']);
  });

  it('makes a result pending again only when every response carrying it is refused', async () => {
    const { cell, run, closed, table } = await started();
    const responses = [cell.wait(60_000, undefined, token(), performance.now()), cell.terminate(performance.now())];
    run.exit({ kind: 'terminated' });
    const carried = (await Promise.all(responses)) as CellResponse[];
    handover(carried[0]!).refused();
    expect(table).to.deep.equal(['collected']);
    handover(carried[1]!).refused();
    expect(table).to.deep.equal(['collected', 'returned']);
    await tick();
    expect(closed[0]).to.include({ status: 'terminated', resultPending: true });
  });

  it('buffers refused yielded output again before the output that came after it', async () => {
    const { cell, events } = await started();
    events().output([{ type: 'text', text: 'a' }], 0, 0);
    const waiting = cell.wait(60_000, undefined, token(), performance.now());
    events().yieldControl();
    events().output([{ type: 'text', text: 'b' }], 0, 0);
    const yielded = await waiting;
    expect(texts(yielded)).to.deep.equal(['a']);
    expect(handover(yielded)).to.deep.include({ cellId: '1', what: 'output' });
    handover(yielded).refused();
    const again = await cell.wait(0, undefined, token(), performance.now());
    expect(texts(again)).to.deep.equal(['a', 'b']);
    handover(again).sent();
    const empty = await cell.wait(0, undefined, token(), performance.now());
    expect(texts(empty)).to.deep.equal([]);
    expect(handoverOf(empty)).to.equal(undefined);
  });

  it('settles only once lent output was ruled on, so refused output leads the final result', async () => {
    const { cell, run, closed, events, written } = await started('held');
    events().output([{ type: 'text', text: 'a' }], 0, 0);
    const waiting = cell.wait(60_000, undefined, token(), performance.now());
    events().yieldControl();
    events().output([{ type: 'text', text: 'b' }], 0, 0);
    run.exit({ kind: 'completed', error: null });
    const yielded = await waiting;
    await tick();
    expect(cell.live).to.equal(true);
    handover(yielded).refused();
    expect(cell.live).to.equal(false);
    written();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'completed', resultPending: true }]);
    const final = await cell.wait(undefined, undefined, token(), performance.now());
    expect(final.status).to.equal('completed');
    expect(texts(final)).to.deep.equal(['a', 'b']);
  });

  it('counts lent output sent once the turn’s responses are written without a ruling', async () => {
    const { cell, run, closed, events, written } = await started('held');
    events().output([{ type: 'text', text: 'a' }], 0, 0);
    const waiting = cell.wait(60_000, undefined, token(), performance.now());
    events().yieldControl();
    run.exit({ kind: 'completed', error: null });
    expect(texts(await waiting)).to.deep.equal(['a']);
    await tick();
    expect(cell.live).to.equal(true);
    written();
    expect(cell.live).to.equal(false);
    written();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'completed', resultPending: true }]);
    expect(texts(await cell.wait(undefined, undefined, token(), performance.now()))).to.deep.equal([]);
  });
});

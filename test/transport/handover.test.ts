/**
 * The writer rules on every response that hands something over (server/handover.ts): sent, or
 * refused and replaced by a -32031 naming the cell, alone or in a batch, where the handovers that
 * arrive first are kept and never give way to a later response.
 */
import { expect } from 'chai';
import { Peer, request } from './harness.js';

const handover = (id: number, cellId: string, size: number) => request(id, 'handover', { cellId, size });

describe('host transport: handovers', () => {
  let peer: Peer;
  afterEach(() => peer?.dispose());

  it('rules sent on a response that fits, refused on one over maxMessageBytes, whose -32031 names the cell', async () => {
    peer = new Peer({ maxMessageBytes: 2000 });
    peer.send(handover(1, 'a', 100));
    expect((await peer.next()).result.text).to.have.length(100);
    peer.send(handover(2, 'b', 2500));
    const tooLarge = await peer.next();
    expect([tooLarge.id, tooLarge.error.code]).to.deep.equal([2, -32031]);
    expect(tooLarge.error.data).to.deep.include({ kind: 'MessageTooLarge', limit: 'maxMessageBytes', maxMessageBytes: 2000, cellId: 'b' });
    expect(tooLarge.error.message).to.match(/^The response of 25\d\d bytes exceeds maxMessageBytes \(2000\), so it was not sent; the result of cell b stays pending \(unless another response carried it\): /);
    expect(peer.rulings).to.deep.equal(['a sent', 'b refused']);
  });

  it('keeps the first handover of a batch that cannot carry two and refuses the next at once', async () => {
    peer = new Peer({ maxMessageBytes: 2000 });
    peer.send([handover(1, 'a', 1200), handover(2, 'b', 1200)]);
    const reply = await peer.next();
    expect(reply.map((element: { id: number }) => element.id)).to.deep.equal([1, 2]);
    expect(reply[0].result.text).to.have.length(1200);
    expect(reply[1].error.code).to.equal(-32031);
    expect(reply[1].error.data).to.deep.include({ kind: 'MessageTooLarge', cellId: 'b', maxMessageBytes: 2000 });
    expect(reply[1].error.message).to.match(/^The batch response would be at least \d+ bytes, over maxMessageBytes \(2000\), so this request's 12\d\d-byte response was not sent; the result of cell b stays pending \(unless another response carried it\): /);
    expect(peer.rulings).to.deep.equal(['a sent', 'b refused']);
  });

  it('replaces other responses of a batch, not a handover it kept', async () => {
    // Room for the handover beside what the two others can shrink to (the echo's is still unknown then).
    peer = new Peer({ maxMessageBytes: 2500 });
    peer.send([request(1, 'big', { size: 1200 }), handover(2, 'a', 1200), request(3, 'echo', ['small'])]);
    const reply = await peer.next();
    expect(reply[0].error.code).to.equal(-32031);
    expect(reply[0].error.message).to.match(/^The batch response of \d+ bytes exceeds maxMessageBytes \(2500\)/);
    expect(reply[1].result.text).to.have.length(1200);
    expect(reply[2].result).to.deep.equal(['small']);
    expect(peer.rulings).to.deep.equal(['a sent']);
  });
});

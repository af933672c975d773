/**
 * What a cell hands over in a response that cannot be sent stays with the host (docs/protocol.md,
 * "Output bounds hold for what is sent"), inside a batch too: when a batch's array would exceed
 * maxMessageBytes, a final result or yielded output that does not fit is answered -32031 naming
 * the cell, the result stays pending (cell/closed says so) and the output stays buffered, and a
 * later wait collects either in full. With maxMessageBytes 1 MiB, two responses of about 600 KB
 * each fit alone but not together.
 */
import { expect } from 'chai';
import { cellClosed, execute, openSession, texts, type CellResponse } from '../support/cells.js';
import { withHost, type Message, type RawHost } from '../support/rawHost.js';

const MAX_MESSAGE_BYTES = 1 << 20;
const HOST_ARGS = ['--max-message-bytes', String(MAX_MESSAGE_BYTES)];
const BULK = 600_000;

/** The delegate request of `cellId`'s call to `tool`. */
function toolCall(host: RawHost, cellId: string, tool: string): Promise<Message> {
  return host.waitFor((m) => !Array.isArray(m) && m.method === 'delegate/invokeTool' && (m.params as any).cellId === cellId && (m.params as any).tool.name === tool, `${tool} of cell ${cellId}`) as Promise<Message>;
}

const answer = (host: RawHost, call: Message) => host.send({ jsonrpc: '2.0', id: call.id, result: { result: null } });

/**
 * Starts a cell that waits on tools.gate() and returns once its execute has yielded (ended by
 * cell/yield after the call arrived, so no timer races it), with the gate's request to answer.
 */
async function gated(host: RawHost, cellId: string, source: string, tools = ['gate']): Promise<Message> {
  const executing = execute(host, { source, tools: tools.map((name) => ({ name })), yieldTimeMs: 60_000 });
  const gate = await toolCall(host, cellId, 'gate');
  await host.call('cell/yield', { sessionId: 's', cellId });
  expect((await executing).status).to.equal('yielded');
  return gate;
}

/** A cell that ends unobserved with BULK bytes of output and `END-<cellId>`: its result is pending. */
async function pendingResult(host: RawHost, cellId: string): Promise<void> {
  answer(host, await gated(host, cellId, `await tools.gate(); text('x'.repeat(${BULK})); text('END-${cellId}')`));
  expect((await cellClosed(host, cellId)).params).to.deep.equal({ sessionId: 's', cellId, status: 'completed', resultPending: true });
}

/** Sends the requests as one batch and resolves with its array. */
function batch(host: RawHost, requests: object[]): Promise<Message[]> {
  const reply = host.waitFor((m) => Array.isArray(m), 'the batch response', 15_000, host.received.length) as Promise<Message[]>;
  host.send(requests.map((request) => ({ jsonrpc: '2.0', ...request })));
  return reply;
}

const wait = (id: string, cellId: string, extra: object = {}) => ({ id, method: 'cell/wait', params: { sessionId: 's', cellId, yieldTimeMs: 60_000, ...extra } });

function expectFullResult(response: CellResponse, cellId: string): void {
  expect(response).to.deep.include({ cellId, status: 'completed', error: null });
  expect(texts(response)).to.deep.equal(['x'.repeat(BULK), `END-${cellId}`]);
}

function expectNotSent(message: Message | undefined, id: string, cellId: string): void {
  expect(message?.id).to.equal(id);
  expect(message?.result).to.equal(undefined);
  expect(message?.error?.code).to.equal(-32031);
  expect(message?.error?.data).to.deep.include({ kind: 'MessageTooLarge', limit: 'maxMessageBytes', maxMessageBytes: MAX_MESSAGE_BYTES, cellId });
}

describe('host: results and output a batch could not carry stay with the host', function () {
  this.timeout(60_000);

  it('keeps a pending result collected in a batch whose array would be too large, for a later wait', () =>
    withHost(async (host) => {
      await openSession(host);
      await pendingResult(host, '1');
      await pendingResult(host, '2');
      const reply = await batch(host, [wait('w1', '1'), wait('w2', '2')]);
      expect(reply.map((m) => m.id)).to.deep.equal(['w1', 'w2']);
      expectFullResult(reply[0]?.result as CellResponse, '1');
      expectNotSent(reply[1], 'w2', '2');
      expect(reply[1]?.error?.message).to.match(/the result of cell 2 stays pending/);
      expectFullResult(await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '2' }), '2');
      for (const cellId of ['1', '2']) expect((await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId })).status).to.equal('missing');
    }, HOST_ARGS));

  it('keeps a result that settles into a batch wait and cannot be sent pending, and cell/closed says so', () =>
    withHost(async (host) => {
      await openSession(host);
      const source = (cellId: string) => `await tools.gate(); text('x'.repeat(${BULK})); text('END-${cellId}')`;
      const gates = [await gated(host, '1', source('1')), await gated(host, '2', source('2'))];
      const replied = batch(host, [wait('w1', '1'), wait('w2', '2')]);
      // Answered only once the batch before it was read: both waits are attached before a gate opens.
      await host.call('cell/yield', { sessionId: 's', cellId: '99' });
      answer(host, gates[0]!);
      expect((await cellClosed(host, '1')).params).to.deep.equal({ sessionId: 's', cellId: '1', status: 'completed', resultPending: false });
      answer(host, gates[1]!);
      expect((await cellClosed(host, '2')).params).to.deep.equal({ sessionId: 's', cellId: '2', status: 'completed', resultPending: true });
      const reply = await replied;
      expectFullResult(reply[0]?.result as CellResponse, '1');
      expectNotSent(reply[1], 'w2', '2');
      expectFullResult(await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '2' }), '2');
      expect((await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' })).status).to.equal('missing');
    }, HOST_ARGS));

  it('keeps yielded output a batch could not carry buffered, in order, for the next observation', () =>
    withHost(async (host) => {
      await openSession(host);
      const source = (cellId: string) => `await tools.gate(); text('x'.repeat(${BULK})); text('MID-${cellId}'); await tools.more(); text('END-${cellId}')`;
      const more: Message[] = [];
      for (const cellId of ['1', '2']) {
        const gate = await gated(host, cellId, source(cellId), ['gate', 'more']);
        const called = toolCall(host, cellId, 'more');
        answer(host, gate);
        // The output is flushed before the call leaves the cell, so it is buffered once the call arrives.
        more.push(await called);
      }
      const reply = await batch(host, [wait('w1', '1', { yieldTimeMs: 0 }), wait('w2', '2', { yieldTimeMs: 0 })]);
      expect(reply.map((m) => m.id)).to.deep.equal(['w1', 'w2']);
      expect(reply[0]?.result).to.deep.include({ cellId: '1', status: 'yielded' });
      expect(texts(reply[0]?.result as CellResponse)).to.deep.equal(['x'.repeat(BULK), 'MID-1']);
      expectNotSent(reply[1], 'w2', '2');
      expect(reply[1]?.error?.message).to.match(/the output of cell 2 stays buffered/);
      const buffered = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '2', yieldTimeMs: 0 });
      expect(buffered.status).to.equal('yielded');
      expect(texts(buffered)).to.deep.equal(['x'.repeat(BULK), 'MID-2']);
      for (const [index, cellId] of ['1', '2'].entries()) {
        const last = host.call<CellResponse>('cell/wait', { sessionId: 's', cellId });
        answer(host, more[index]!);
        expect(texts(await last)).to.deep.equal([`END-${cellId}`]);
      }
    }, HOST_ARGS));

  it('keeps a result pending when only the request id makes its response too large', () =>
    withHost(async (host) => {
      await openSession(host);
      // The result fits maxMessageBytes by itself; with a 100,000-character id its response does not.
      const gate = await gated(host, '1', `await tools.gate(); text('x'.repeat(1_000_000)); text('END-1')`);
      const longId = 'i'.repeat(100_000);
      const waiting = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 }, longId);
      // Answered only once the wait before it was read: the wait observes the cell when it settles.
      await host.call('cell/yield', { sessionId: 's', cellId: '99' });
      answer(host, gate);
      expect((await cellClosed(host, '1')).params).to.deep.equal({ sessionId: 's', cellId: '1', status: 'completed', resultPending: true });
      expectNotSent(await waiting, longId, '1');
      const collected = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(texts(collected)).to.deep.equal(['x'.repeat(1_000_000), 'END-1']);
    }, HOST_ARGS));
});

import { expect } from 'chai';
import { NO_ANSWER, withHost, type Message } from '../support/rawHost.js';
import { execute, openSession, sleep, texts, type CellResponse } from '../support/cells.js';

describe('cells: limits', function () {
  it('stops a cell over cpuTimeLimitMs with an error naming the limit', () =>
    withHost(async (host) => {
      await openSession(host, 's', { cpuTimeLimitMs: 200 });
      const response = await execute(host, { source: 'await null; while (true) {}' });
      expect(response).to.deep.include({ status: 'completed', error: 'cell exceeded its CPU time limit of 200 ms' });
      expect(texts(await execute(host, { source: 'text("next")' }))).to.deep.equal(['next']);
    }));

  it('does not count time spent awaiting tools against cpuTimeLimitMs', () =>
    withHost(async (host) => {
      await openSession(host, 's', { cpuTimeLimitMs: 100 });
      host.delegate = async () => {
        await sleep(400);
        return { result: 'late' };
      };
      const response = await execute(host, { source: 'text(await tools.slow())', tools: [{ name: 'slow' }] });
      expect(response).to.deep.include({ status: 'completed', error: null });
    }));

  it('stops a cell over wallTimeLimitMs with an error naming the limit', () =>
    withHost(async (host) => {
      await openSession(host, 's', { wallTimeLimitMs: 300 });
      const response = await execute(host, { source: 'await new Promise(() => {})' });
      expect(response).to.deep.include({ status: 'completed', error: 'cell exceeded its wall time limit of 300 ms' });
    }));

  it('ends a memory bomb with an error naming heapLimitMb; other sessions carry on', () =>
    withHost(async (host) => {
      await openSession(host, 's', { heapLimitMb: 16 });
      await openSession(host, 'other');
      const background = execute(host, { sessionId: 'other', source: 'await new Promise((r) => setTimeout(r, 500)); text("other ok")' });
      const response = await execute(host, { source: 'const a = []; while (true) a.push({ x: Math.random(), y: "y".repeat(100) })' });
      expect(response).to.deep.include({ status: 'completed', error: 'cell exceeded its heap limit of 16 MB' });
      expect(texts(await background)).to.deep.equal(['other ok']);
      expect(texts(await execute(host, { source: 'text("after")' }))).to.deep.equal(['after']);
    }));

  it('refuses cells past maxActiveCells with -32030', () =>
    withHost(
      async (host) => {
        await openSession(host);
        await execute(host, { source: 'await new Promise(() => {})', yieldTimeMs: 0 });
        const refused = await host.request('cell/execute', { sessionId: 's', source: '1' });
        expect(refused.error?.code).to.equal(-32030);
        expect(refused.error?.data).to.deep.equal({ kind: 'Overloaded', limit: 'maxActiveCells' });
        await host.call('cell/terminate', { sessionId: 's', cellId: '1' });
        expect((await execute(host, { source: '1' })).status).to.equal('completed');
      },
      ['--max-active-cells', '1'],
    ));

  it('refuses requests past maxInFlightRequests with -32030', () =>
    withHost(
      async (host) => {
        await openSession(host);
        const a = host.request('cell/execute', { sessionId: 's', source: 'await new Promise((r) => setTimeout(r, 300))' });
        const b = host.request('cell/execute', { sessionId: 's', source: 'await new Promise((r) => setTimeout(r, 300))' });
        await sleep(50);
        const refused = await host.request('session/open', {});
        expect(refused.error?.code).to.equal(-32030);
        expect(refused.error?.data).to.deep.equal({ kind: 'Overloaded', limit: 'maxInFlightRequests' });
        await Promise.all([a, b]);
        expect((await host.call('session/open', {})).sessionId).to.equal('session-1');
      },
      ['--max-in-flight-requests', '2'],
    ));
});

describe('sessions end their cells', function () {
  it('session/close terminates live cells, answers waits, and sends every cell/closed first', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = () => NO_ANSWER;
      await execute(host, { source: 'await tools.never()', tools: [{ name: 'never' }], yieldTimeMs: 0 });
      await execute(host, { source: 'await null; while (true) {}', yieldTimeMs: 0 });
      const waiting = host.request('cell/wait', { sessionId: 's', cellId: '2', yieldTimeMs: 60_000 });
      const closeResponse = await host.request('session/close', { sessionId: 's' }, 'close');
      expect(closeResponse.result).to.deep.equal({ sessionId: 's' });
      expect(((await waiting).result as CellResponse).status).to.equal('terminated');
      const closeIndex = host.received.indexOf(closeResponse);
      const closed = host.notificationsOf('cell/closed');
      expect(closed.map((m) => (m.params as any).cellId).sort()).to.deep.equal(['1', '2']);
      for (const m of closed) expect(host.received.indexOf(m)).to.be.lessThan(closeIndex);
      const invoke = host.received.find((m: any) => m.method === 'delegate/invokeTool') as Message;
      const cancel = host.notificationsOf('$/cancelRequest').find((m) => (m.params as any).id === invoke.id);
      expect(cancel).to.not.equal(undefined);
    }));

  it('shutdown sends every cell/closed before its result', () =>
    withHost(async (host) => {
      await openSession(host, 'a');
      await openSession(host, 'b');
      await execute(host, { sessionId: 'a', source: 'await new Promise(() => {})', yieldTimeMs: 0 });
      await execute(host, { sessionId: 'b', source: 'await null; while (true) {}', yieldTimeMs: 0 });
      const response = await host.request('shutdown');
      const index = host.received.indexOf(response);
      const closed = host.notificationsOf('cell/closed');
      expect(closed).to.have.length(2);
      for (const m of closed) expect(host.received.indexOf(m)).to.be.lessThan(index);
    }));

  it('exits 0 on EOF while a tool call is pending', async () => {
    await withHost(async (host) => {
      await openSession(host);
      host.delegate = () => NO_ANSWER;
      await execute(host, { source: 'await tools.never()', tools: [{ name: 'never' }], yieldTimeMs: 0 });
      expect(await host.end()).to.deep.equal({ code: 0, signal: null });
    });
  });
});

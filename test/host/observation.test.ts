import { expect } from 'chai';
import { withHost } from '../support/rawHost.js';
import { cellClosed, execute, openSession, texts, type CellResponse } from '../support/cells.js';
import { GATE_TOOL, ToolGate } from '../support/toolGate.js';

// Cells that must still be running when the test acts wait on `tools.gate()`, which the test
// answers when it is ready: the order of events never depends on how fast the machine is.
describe('cells: observation rules (docs/protocol.md, "Observing cells")', function () {
  it('rule 2: yields when the execute window ends, and the wait returns the rest', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      const first = await execute(host, { source: 'text("a"); await tools.gate(); text("b")', tools: [GATE_TOOL], yieldTimeMs: 100 });
      expect(first).to.deep.include({ cellId: '1', status: 'yielded', error: null });
      expect(texts(first)).to.deep.equal(['a']);
      await gate.open();
      const rest = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(rest.status).to.equal('completed');
      expect(texts(rest)).to.deep.equal(['b']);
    }));

  it('rule 2: yield_control() ends the window now and the cell keeps running', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      const first = await execute(host, { source: 'text("before"); yield_control(); await tools.gate(); text("after")', tools: [GATE_TOOL] });
      expect(first.status).to.equal('yielded');
      expect(texts(first)).to.deep.equal(['before']);
      await gate.open();
      const rest = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(rest).to.deep.include({ status: 'completed', error: null });
      expect(texts(rest)).to.deep.equal(['after']);
    }));

  it('rule 2: cell/yield ends the active window; without an observer it answers false', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      const pending = host.request('cell/execute', { sessionId: 's', source: 'text("x"); await tools.gate()', tools: [GATE_TOOL], yieldTimeMs: 60_000 });
      await gate.arrived();
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '1' })).to.deep.equal({ yielded: true });
      const first = (await pending).result as CellResponse;
      expect(first.status).to.equal('yielded');
      expect(texts(first)).to.deep.equal(['x']);
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '1' })).to.deep.equal({ yielded: false });
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '99' })).to.deep.equal({ yielded: false });
    }, [], { cellOutput: true }));

  it('rule 1: a second wait fails with -32020 and does not displace the first', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'await new Promise(() => {})', yieldTimeMs: 0 });
      // Requests are handled in arrival order: the first wait observes before the second is read.
      const firstWait = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      const second = await host.request('cell/wait', { sessionId: 's', cellId: '1' });
      expect(second.error?.code).to.equal(-32020);
      expect(second.error?.data).to.deep.equal({ kind: 'CellBusy', cellId: '1' });
      const ended = await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' });
      expect(ended.status).to.equal('terminated');
      expect(((await firstWait).result as CellResponse).status).to.equal('terminated');
    }));

  it('rule 3: output is never repeated across observations', () =>
    withHost(async (host) => {
      await openSession(host);
      const first = await execute(host, { source: 'for (let i = 0; i < 3; i++) { text(i); yield_control(); await new Promise((r) => setTimeout(r, 30)); }' });
      const seen = [...texts(first)];
      for (;;) {
        const next = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
        seen.push(...texts(next));
        if (next.status === 'completed') break;
      }
      expect(seen).to.deep.equal(['0', '1', '2']);
    }));

  it('rule 4: a cell finishing unobserved sends cell/closed with resultPending, keeps its result once', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      const first = await execute(host, { source: 'await tools.gate(); text("done")', tools: [GATE_TOOL], yieldTimeMs: 0 });
      expect(first.status).to.equal('yielded');
      await gate.open();
      const closed = await cellClosed(host, '1');
      expect(closed.params).to.deep.equal({ sessionId: 's', cellId: '1', status: 'completed', resultPending: true });
      const result = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(result).to.deep.include({ status: 'completed', error: null });
      expect(texts(result)).to.deep.equal(['done']);
      const missing = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(missing).to.deep.include({ cellId: '1', status: 'missing', items: [], error: 'cell 1 not found', pendingToolCalls: [] });
      expect(host.notificationsOf('cell/closed')).to.have.length(1);
    }));

  it('rule 5: natural completion wins over a late terminate', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'await new Promise((r) => setTimeout(r, 50)); text("done")', yieldTimeMs: 0 });
      await cellClosed(host, '1');
      const ended = await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' });
      expect(ended).to.deep.include({ status: 'completed', error: null });
      expect(texts(ended)).to.deep.equal(['done']);
      expect((await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' })).status).to.equal('missing');
    }));

  it('rule 6: $/cancelRequest on execute answers -32800 with cellId and the cell keeps running', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      const pending = host.request('cell/execute', { sessionId: 's', source: 'await tools.gate(); text("still ran")', tools: [GATE_TOOL], yieldTimeMs: 60_000 }, 'ex');
      await gate.arrived();
      host.notify('$/cancelRequest', { id: 'ex' });
      const cancelled = await pending;
      expect(cancelled.error?.code).to.equal(-32800);
      expect(cancelled.error?.data).to.deep.equal({ kind: 'RequestCancelled', cellId: '1' });
      await gate.open();
      const result = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(texts(result)).to.deep.equal(['still ran']);
    }));

  it('rule 6: $/cancelRequest on wait detaches it so a new wait works at once', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'await new Promise((r) => setTimeout(r, 60_000))', yieldTimeMs: 0 });
      const longWait = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 }, 'w1');
      host.notify('$/cancelRequest', { id: 'w1' });
      expect((await longWait).error?.code).to.equal(-32800);
      const next = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 1 });
      expect(next.status).to.equal('yielded');
    }));

  it('rule 7: a cell reads a snapshot; writes commit on completion and failure, not on terminate', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host);
      await execute(host, { source: 'store("a", {n: 1})' });
      expect(texts(await execute(host, { source: 'const v = load("a"); v.n = 99; text(load("a").n)' }))).to.deep.equal(['1']);
      await execute(host, { source: 'store("b", 1); await tools.gate(); store("b", 2)', tools: [GATE_TOOL], yieldTimeMs: 0 });
      expect(texts(await execute(host, { source: 'text(String(load("b")))' }))).to.deep.equal(['undefined']);
      await gate.open();
      await cellClosed(host, '3');
      expect(texts(await execute(host, { source: 'text(load("b"))' }))).to.deep.equal(['2']);
      await execute(host, { source: 'store("c", "failed"); throw new Error("x")' });
      expect(texts(await execute(host, { source: 'text(load("c"))' }))).to.deep.equal(['failed']);
      await execute(host, { source: 'store("d", 1); await new Promise(() => {})', yieldTimeMs: 0 });
      await host.call('cell/terminate', { sessionId: 's', cellId: '7' });
      expect(texts(await execute(host, { source: 'text(String(load("d")))' }))).to.deep.equal(['undefined']);
    }));

  it('maxStoredBytes makes store throw in JavaScript', () =>
    withHost(async (host) => {
      await openSession(host, 's', { maxStoredBytes: 100 });
      const response = await execute(host, { source: 'store("k", "x".repeat(50)); try { store("big", "y".repeat(100)) } catch (e) { text(e.message) }' });
      expect(texts(response)[0]).to.match(/maxStoredBytes of 100/);
    }));

  it('maxOutputTokens cuts the middle of the text and keeps images', () =>
    withHost(async (host) => {
      await openSession(host);
      const image = 'data:image/png;base64,AAAA';
      const response = await execute(host, { source: `text("a".repeat(100)); image("${image}"); text("z".repeat(100))`, maxOutputTokens: 10 });
      expect(response.items).to.have.length(4);
      expect(response.items.filter((_, i) => i !== 2)).to.deep.equal([
        { type: 'text', text: 'a'.repeat(20) },
        { type: 'text', text: '…40 tokens truncated…' },
        { type: 'text', text: 'z'.repeat(20) },
      ]);
      expect(response.items[2]).to.include({ type: 'image', imageUrl: image });
    }));

  it('maxOutputBytes drops items past the bound and marks the loss once', () =>
    withHost(async (host) => {
      await openSession(host, 's', { maxOutputBytes: 1024 });
      const response = await execute(host, { source: 'for (let i = 0; i < 100; i++) text("x".repeat(100))' });
      const all = texts(response);
      expect(all.slice(0, 10)).to.deep.equal(Array(10).fill('x'.repeat(100)));
      expect(all[10]).to.equal('[output truncated: 9000 bytes dropped]');
      expect(all).to.have.length(11);
    }));

  it('streams cell/output when the client asked for it, and still returns the items', () =>
    withHost(
      async (host) => {
        await openSession(host);
        const response = await execute(host, { source: 'text("one"); await new Promise((r) => setTimeout(r, 20)); text("two")' });
        expect(texts(response)).to.deep.equal(['one', 'two']);
        const streamed = host.notificationsOf('cell/output').flatMap((m) => (m.params as any).items.map((i: any) => i.text));
        expect(streamed).to.deep.equal(['one', 'two']);
        expect((host.notificationsOf('cell/output')[0]?.params as any).cellId).to.equal('1');
      },
      [],
      { cellOutput: true },
    ));

  it('does not stream cell/output by default', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'text("one")' });
      expect(host.notificationsOf('cell/output')).to.have.length(0);
    }));

  it('caps every window with the session maxYieldTimeMs, per session', () =>
    withHost(async (host) => {
      const gate = new ToolGate(host);
      await openSession(host, 's', { maxYieldTimeMs: 1 });
      await openSession(host, 't', { maxYieldTimeMs: 60_000 });
      const quick = await execute(host, { source: 'await tools.gate()', tools: [GATE_TOOL], yieldTimeMs: 60_000 });
      expect(quick.status).to.equal('yielded');
      const wait = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      expect(wait.status).to.equal('yielded');
      const other = host.call<CellResponse>('cell/execute', { sessionId: 't', source: 'await tools.gate(); text("t")', tools: [GATE_TOOL], yieldTimeMs: 60_000 });
      await gate.open(1);
      expect((await other).status).to.equal('completed');
    }));
});

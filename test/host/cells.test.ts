import { expect } from 'chai';
import { withHost, type Message } from '../support/rawHost.js';
import { cellClosed, execute, indexOf, openSession, sleep, texts, type CellResponse } from '../support/cells.js';

describe('cells: execute and the worked exchange', function () {
  it('runs the worked exchange of docs/protocol.md', () =>
    withHost(async (host) => {
      await openSession(host, 's1');
      host.delegate = (m) => ({ result: (m.params as any).input.a + (m.params as any).input.b });
      const response = await host.call<CellResponse>('cell/execute', {
        sessionId: 's1',
        source: 'const r = await tools.add({a: 2, b: 3}); text(r * 7)',
        tools: [{ name: 'add' }],
      });
      expect(response).to.deep.include({ cellId: '1', status: 'completed', items: [{ type: 'text', text: '35' }], error: null, pendingToolCalls: [] });
      expect(response.durationMs).to.be.a('number').and.at.least(0);
      const invoke = host.received.find((m): m is Message => !Array.isArray(m) && m.method === 'delegate/invokeTool') as Message;
      expect(invoke.params).to.deep.equal({
        sessionId: 's1',
        cellId: '1',
        callId: 'tool-1',
        toolCallId: null,
        tool: { name: 'add', namespace: null },
        kind: 'function',
        input: { a: 2, b: 3 },
      });
      const closed = await cellClosed(host, '1', 's1');
      expect(closed.params).to.deep.equal({ sessionId: 's1', cellId: '1', status: 'completed', resultPending: false });
      const responseIndex = indexOf(host, (m) => m.result !== undefined && (m.result as any).cellId === '1');
      expect(responseIndex).to.be.lessThan(host.received.indexOf(closed));
    }));

  it('numbers cells per session and never reuses ids', () =>
    withHost(async (host) => {
      await openSession(host, 's');
      await openSession(host, 't');
      expect((await execute(host, { source: '1' })).cellId).to.equal('1');
      expect((await execute(host, { source: '1' })).cellId).to.equal('2');
      expect((await execute(host, { sessionId: 't', source: '1' })).cellId).to.equal('1');
      expect((await execute(host, { source: '1' })).cellId).to.equal('3');
    }));

  it('reports a thrown error as completed with its stack, and the session stays usable', () =>
    withHost(async (host) => {
      await openSession(host);
      const failed = await execute(host, { source: 'text("before");\nthrow new TypeError("boom")' });
      expect(failed.status).to.equal('completed');
      expect(failed.items).to.deep.equal([{ type: 'text', text: 'before' }]);
      expect(failed.error).to.match(/^TypeError: boom\n\s+at .*cell-1\.js:2/);
      expect((await execute(host, { source: 'throw "plain"' })).error).to.equal('plain');
      expect(texts(await execute(host, { source: 'text(1 + 1)' }))).to.deep.equal(['2']);
    }));

  it('fails a cell that imports, naming the specifier', () =>
    withHost(async (host) => {
      await openSession(host);
      const response = await execute(host, { source: 'import fs from "fs";\ntext(1)' });
      expect(response.status).to.equal('completed');
      expect(response.error).to.contain('Unsupported import in cell: fs');
    }));

  it('strips TypeScript types when language is typescript', () =>
    withHost(async (host) => {
      await openSession(host);
      const source = 'interface P { x: number }\nconst p: P = { x: 4 };\nconst f = <T,>(v: T): T => v;\ntext(f<number>(p.x) * 2)';
      expect(texts(await execute(host, { source, language: 'typescript' }))).to.deep.equal(['8']);
      expect((await execute(host, { source: 'const x: number = 1' })).error).to.match(/SyntaxError/);
    }));

  it('rejects two tools with the same JavaScript name with -32602', () =>
    withHost(async (host) => {
      await openSession(host);
      const response = await host.request('cell/execute', { sessionId: 's', source: '1', tools: [{ name: 'a-b' }, { name: 'a.b' }] });
      expect(response.error?.code).to.equal(-32602);
      expect(response.error?.data?.errors?.[0]?.path).to.equal('/tools');
    }));

  it('names tools by qualified, identifier-safe JavaScript names and lists them in ALL_TOOLS', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = (m) => ({ result: (m.params as any).tool });
      const response = await execute(host, {
        source: 'text(ALL_TOOLS); text(await tools.mcp__search__web_query())',
        tools: [
          { name: 'web-query', namespace: 'mcp__search', description: 'search the web' },
          { name: '1st', description: 'first' },
        ],
      });
      expect(texts(response)).to.deep.equal([
        '[{"name":"mcp__search__web_query","description":"search the web"},{"name":"_st","description":"first"}]',
        '{"name":"web-query","namespace":"mcp__search"}',
      ]);
    }));
});

describe('cells: terminate', function () {
  it('stops a CPU-bound loop after an await within one second', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'text("spin"); await null; while (true) {}', yieldTimeMs: 100 });
      const ended = await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' });
      expect(ended.status).to.equal('terminated');
      expect(ended.durationMs).to.be.below(1000);
      const closed = await cellClosed(host, '1');
      expect(closed.params).to.deep.equal({ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false });
      expect(texts(await execute(host, { source: 'text("alive")' }))).to.deep.equal(['alive']);
    }));

  it('gives the observer and the terminator the same outcome; a later terminate finds the cell missing', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'text("o"); await null; while (true) {}', yieldTimeMs: 0 });
      const waiting = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      await sleep(50);
      const terminated = await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' });
      const observed = (await waiting).result as CellResponse;
      expect(terminated.status).to.equal('terminated');
      expect(observed.status).to.equal('terminated');
      expect(observed.items).to.deep.equal(terminated.items);
      expect((await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' })).status).to.equal('missing');
    }));

  it('answers terminate of an unknown cell with missing', () =>
    withHost(async (host) => {
      await openSession(host);
      const response = await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '42' });
      expect(response).to.deep.include({ cellId: '42', status: 'missing', items: [], error: 'cell 42 not found', pendingToolCalls: [] });
    }));
});

import { expect } from 'chai';
import { NO_ANSWER, withHost, type Message } from '../support/rawHost.js';
import { cellClosed, execute, indexOf, openSession, sleep, texts, type CellResponse } from '../support/cells.js';

describe('cells: execute and the worked exchange', function () {
  it('runs the worked exchange of PROTOCOL.md section 10', () =>
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

describe('cells: observation rules (PROTOCOL.md section 4)', function () {
  it('rule 2: yields when the execute window ends, and the wait returns the rest', () =>
    withHost(async (host) => {
      await openSession(host);
      const first = await execute(host, { source: 'text("a"); await new Promise((r) => setTimeout(r, 400)); text("b")', yieldTimeMs: 100 });
      expect(first).to.deep.include({ cellId: '1', status: 'yielded', error: null });
      expect(texts(first)).to.deep.equal(['a']);
      const rest = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(rest.status).to.equal('completed');
      expect(texts(rest)).to.deep.equal(['b']);
    }));

  it('rule 2: yield_control() ends the window now and the cell keeps running', () =>
    withHost(async (host) => {
      await openSession(host);
      const first = await execute(host, { source: 'text("before"); yield_control(); await new Promise((r) => setTimeout(r, 50)); text("after")' });
      expect(first.status).to.equal('yielded');
      expect(texts(first)).to.deep.equal(['before']);
      const rest = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(rest).to.deep.include({ status: 'completed', error: null });
      expect(texts(rest)).to.deep.equal(['after']);
    }));

  it('rule 2: cell/yield ends the active window; without an observer it answers false', () =>
    withHost(async (host) => {
      await openSession(host);
      const pending = host.request('cell/execute', { sessionId: 's', source: 'text("x"); await new Promise((r) => setTimeout(r, 60_000))', yieldTimeMs: 60_000 });
      await sleep(200);
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '1' })).to.deep.equal({ yielded: true });
      const first = (await pending).result as CellResponse;
      expect(first.status).to.equal('yielded');
      expect(texts(first)).to.deep.equal(['x']);
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '1' })).to.deep.equal({ yielded: false });
      expect(await host.call('cell/yield', { sessionId: 's', cellId: '99' })).to.deep.equal({ yielded: false });
    }));

  it('rule 1: a second wait fails with -32020 and does not displace the first', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'await new Promise(() => {})', yieldTimeMs: 0 });
      const firstWait = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      await sleep(100);
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
      await openSession(host);
      const first = await execute(host, { source: 'await new Promise((r) => setTimeout(r, 100)); text("done")', yieldTimeMs: 0 });
      expect(first.status).to.equal('yielded');
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
      await openSession(host);
      const pending = host.request('cell/execute', { sessionId: 's', source: 'await new Promise((r) => setTimeout(r, 300)); text("still ran")', yieldTimeMs: 60_000 }, 'ex');
      await sleep(100);
      host.notify('$/cancelRequest', { id: 'ex' });
      const cancelled = await pending;
      expect(cancelled.error?.code).to.equal(-32800);
      expect(cancelled.error?.data).to.deep.equal({ kind: 'RequestCancelled', cellId: '1' });
      const result = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1' });
      expect(texts(result)).to.deep.equal(['still ran']);
    }));

  it('rule 6: $/cancelRequest on wait detaches it so a new wait works at once', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'await new Promise((r) => setTimeout(r, 60_000))', yieldTimeMs: 0 });
      const longWait = host.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 }, 'w1');
      await sleep(100);
      host.notify('$/cancelRequest', { id: 'w1' });
      expect((await longWait).error?.code).to.equal(-32800);
      const next = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 1 });
      expect(next.status).to.equal('yielded');
    }));

  it('rule 7: a cell reads a snapshot; writes commit on completion and failure, not on terminate', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: 'store("a", {n: 1})' });
      expect(texts(await execute(host, { source: 'const v = load("a"); v.n = 99; text(load("a").n)' }))).to.deep.equal(['1']);
      await execute(host, { source: 'store("b", 1); await new Promise((r) => setTimeout(r, 300)); store("b", 2)', yieldTimeMs: 0 });
      expect(texts(await execute(host, { source: 'text(String(load("b")))' }))).to.deep.equal(['undefined']);
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
      await openSession(host, 's', { maxYieldTimeMs: 1 });
      await openSession(host, 't', { maxYieldTimeMs: 5000 });
      const quick = await execute(host, { source: 'await new Promise((r) => setTimeout(r, 400))', yieldTimeMs: 60_000 });
      expect(quick.status).to.equal('yielded');
      const wait = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      expect(wait.status).to.equal('yielded');
      const other = await execute(host, { sessionId: 't', source: 'await new Promise((r) => setTimeout(r, 50)); text("t")', yieldTimeMs: 60_000 });
      expect(other.status).to.equal('completed');
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

describe('cells: delegate calls (PROTOCOL.md section 6)', function () {
  it('rejects the JavaScript promise with the client error message', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = () => {
        throw { code: -32000, message: 'no such city' };
      };
      const response = await execute(host, { source: 'try { await tools.weather("x") } catch (e) { text(String(e instanceof Error) + " " + e.message) }', tools: [{ name: 'weather' }] });
      expect(texts(response)).to.deep.equal(['true no such city']);
    }));

  it('passes toolCallId, namespace, kind and input through, numbering calls per cell', () =>
    withHost(async (host) => {
      await openSession(host);
      const calls: any[] = [];
      host.delegate = (m) => {
        calls.push(m.params);
        return { result: null };
      };
      await execute(host, {
        source: 'await tools.ns__run("raw text"); await tools.ns__run()',
        toolCallId: 'call-9',
        tools: [{ name: 'run', namespace: 'ns', kind: 'freeform' }],
      });
      expect(calls.map((c) => [c.callId, c.toolCallId, c.tool, c.kind, c.input])).to.deep.equal([
        ['tool-1', 'call-9', { name: 'run', namespace: 'ns' }, 'freeform', 'raw text'],
        ['tool-2', 'call-9', { name: 'run', namespace: 'ns' }, 'freeform', null],
      ]);
    }));

  it('cancels an unawaited tool call when the cell completes, before cell/closed', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = (m) => ((m.params as any).tool.name === 'slow' ? NO_ANSWER : { result: 'fast' });
      const response = await execute(host, { source: 'tools.slow(); text(await tools.fast())', tools: [{ name: 'slow' }, { name: 'fast' }] });
      expect(texts(response)).to.deep.equal(['fast']);
      const slow = host.received.find((m): m is Message => !Array.isArray(m) && (m.params as any)?.tool?.name === 'slow') as Message;
      const cancel = await host.notification('$/cancelRequest', (p) => p.id === slow.id);
      const closed = await cellClosed(host, '1');
      expect(host.received.indexOf(cancel)).to.be.lessThan(host.received.indexOf(closed));
      expect(response.pendingToolCalls).to.deep.equal([]);
    }));

  it('lists unanswered tool calls in pendingToolCalls and cancels them on terminate', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = () => NO_ANSWER;
      const first = await execute(host, { source: 'await Promise.all([tools.a(), tools.a()])', tools: [{ name: 'a' }], yieldTimeMs: 200 });
      expect(first.status).to.equal('yielded');
      expect(first.pendingToolCalls).to.deep.equal(['tool-1', 'tool-2']);
      await host.call('cell/terminate', { sessionId: 's', cellId: '1' });
      const ids = host.received.filter((m): m is Message => !Array.isArray(m) && m.method === 'delegate/invokeTool').map((m) => m.id);
      for (const id of ids) await host.notification('$/cancelRequest', (p) => p.id === id);
      // A late answer to a cancelled call is ignored.
      host.send({ jsonrpc: '2.0', id: ids[0], result: { result: 1 } });
      expect(texts(await execute(host, { source: 'text("ok")' }))).to.deep.equal(['ok']);
    }));

  it('rejects calls past maxPendingToolCalls in JavaScript', () =>
    withHost(async (host) => {
      await openSession(host, 's', { maxPendingToolCalls: 2 });
      host.delegate = () => NO_ANSWER;
      const response = await execute(host, {
        source: 'tools.a(); tools.a(); try { await tools.a() } catch (e) { text(e.message) }',
        tools: [{ name: 'a' }],
      });
      expect(texts(response)[0]).to.match(/limit of 2 pending tool calls/);
    }));

  it('rejects calls past maxPendingDelegateCalls in JavaScript and nothing else', () =>
    withHost(
      async (host) => {
        await openSession(host);
        host.delegate = () => NO_ANSWER;
        const response = await execute(host, {
          source: 'tools.a(); tools.a(); try { await tools.a() } catch (e) { text(e.message) }',
          tools: [{ name: 'a' }],
        });
        expect(texts(response)[0]).to.match(/maxPendingDelegateCalls/);
        expect(texts(await execute(host, { source: 'text("fine")' }))).to.deep.equal(['fine']);
      },
      ['--max-pending-delegate-calls', '2'],
    ));

  it('fails only the tool call whose request exceeds maxMessageBytes', () =>
    withHost(
      async (host) => {
        await openSession(host);
        host.delegate = (m) => ({ result: (m.params as any).input });
        const response = await execute(host, {
          source: 'try { await tools.echo("x".repeat(5000)) } catch (e) { text("failed: " + e.message) }\ntext(await tools.echo("small"))',
          tools: [{ name: 'echo' }],
        });
        const [first, second] = texts(response);
        expect(first).to.match(/^failed: .*maxMessageBytes/);
        expect(second).to.equal('small');
      },
      ['--max-message-bytes', '4096'],
    ));

  it('fails only the tool call whose response exceeds maxMessageBytes', () =>
    withHost(
      async (host) => {
        await openSession(host);
        host.delegate = (m) => ({ result: (m.params as any).input === 'big' ? 'x'.repeat(10_000) : 'small' });
        const response = await execute(host, {
          source: 'try { await tools.get("big") } catch (e) { text("failed: " + e.message) }\ntext(await tools.get("small"))',
          tools: [{ name: 'get' }],
        });
        const [first, second] = texts(response);
        expect(first).to.match(/^failed: The client's response of \d+ bytes exceeds maxMessageBytes \(4096\)/);
        expect(second).to.equal('small');
        const skipped = host.received.find((m: any) => m.error?.code === -32031) as Message;
        expect(skipped.id).to.equal(null);
      },
      ['--max-message-bytes', '4096'],
    ));

  it('sends notify as delegate/notify and completes after it is answered', () =>
    withHost(async (host) => {
      await openSession(host);
      let answer: (() => void) | undefined;
      host.delegate = (m) => {
        if (m.method !== 'delegate/notify') return { result: null };
        return new Promise((resolve) => (answer = () => resolve(null)));
      };
      const pending = host.request('cell/execute', { sessionId: 's', source: 'notify("progress 50%"); text("end")', toolCallId: 'c1' });
      const note = await host.waitFor((m: any) => m.method === 'delegate/notify', 'delegate/notify');
      expect((note as Message).params).to.deep.equal({ sessionId: 's', cellId: '1', toolCallId: 'c1', text: 'progress 50%' });
      await sleep(100);
      expect(host.received.some((m: any) => m.id === 'x' || (m.result as any)?.cellId === '1')).to.equal(false);
      answer?.();
      expect(texts((await pending).result as CellResponse)).to.deep.equal(['end']);
    }));
});

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

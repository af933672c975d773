import { expect } from 'chai';
import { NO_ANSWER, withHost, type Message } from '../support/rawHost.js';
import { cellClosed, execute, openSession, sleep, texts, type CellResponse } from '../support/cells.js';

describe('cells: delegate calls (docs/protocol.md, Delegate calls)', function () {
  it('rejects the JavaScript promise with the client error message', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = () => {
        throw { code: -32000, message: 'no such city' };
      };
      const response = await execute(host, { source: 'try { await tools.weather("x") } catch (e) { text(String(e instanceof Error) + " " + e.message) }', tools: [{ name: 'weather' }] });
      expect(texts(response)).to.deep.equal(['true no such city']);
    }));

  it('rejects the JavaScript promise when the client result breaks the result schema', () =>
    withHost(async (host) => {
      await openSession(host);
      const answers: unknown[] = [{ result: 1, extra: 2 }, { value: 1 }, 'bare', { result: 'ok' }];
      host.delegate = () => answers.shift();
      const response = await execute(host, {
        source: 'for (let i = 0; i < 4; i++) { try { text(await tools.t()) } catch (e) { text(e.message) } }',
        tools: [{ name: 't' }],
      });
      expect(texts(response)).to.deep.equal([
        'the client answered delegate/invokeTool with an invalid result: /extra is not allowed: unknown key',
        'the client answered delegate/invokeTool with an invalid result: /result is required',
        'the client answered delegate/invokeTool with an invalid result: / must be object',
        'ok',
      ]);
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

  it('handles a wait and a tool answer sent together in arrival order', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = () => NO_ANSWER;
      await execute(host, { source: 'await tools.gate(); text("done")', tools: [{ name: 'gate' }], yieldTimeMs: 0 });
      const invoke = (await host.waitFor((m: any) => m.method === 'delegate/invokeTool', 'tool call')) as Message;
      const frame = (body: unknown) => {
        const text = JSON.stringify(body);
        return `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
      };
      // Messages queued ahead of the wait keep it waiting several turns of the event loop, so a host
      // that handled the answer out of order would finish the cell before the wait is attached.
      host.writeRaw(
        Array.from({ length: 8 }, () => frame({ jsonrpc: '2.0', method: 'initialized' })).join('') +
          frame({ jsonrpc: '2.0', id: 'w', method: 'cell/wait', params: { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 } }) +
          frame({ jsonrpc: '2.0', id: invoke.id, result: { result: null } }),
      );
      const waited = (await host.waitFor((m: any) => m.id === 'w', 'wait')) as Message;
      expect(texts(waited.result as CellResponse)).to.deep.equal(['done']);
      const closed = await cellClosed(host, '1');
      expect((closed.params as any).resultPending).to.equal(false);
    }));

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

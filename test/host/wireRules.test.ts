/**
 * Promises of the wire that a sloppy or hostile client tests first: every request answered, every
 * result delivered, every malformed answer bounded (docs/protocol.md, "Every request answered").
 */
import { expect } from 'chai';
import { NO_ANSWER, RawHost, withHost, type Message } from '../support/rawHost.js';
import { cellClosed, execute, openSession, texts, type CellResponse } from '../support/cells.js';

const frame = (message: unknown) => {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
};
const INITIALIZE = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: 1 } };
const INITIALIZED = { jsonrpc: '2.0', method: 'initialized', params: {} };
const OPEN = { jsonrpc: '2.0', id: 2, method: 'session/open', params: { sessionId: 's' } };
const RUN_FOREVER = { jsonrpc: '2.0', id: 3, method: 'cell/execute', params: { sessionId: 's', source: 'await new Promise(() => {})' } };

const responses = (host: RawHost) => host.received.filter((m): m is Message => !Array.isArray(m) && m.method === undefined);

describe('host: every request answered, every result delivered (docs/protocol.md)', function () {
  this.timeout(30_000);

  it('answers every request written before EOF and sends every cell/closed before exiting 0', async () => {
    const host = new RawHost();
    host.child.stdin.end([INITIALIZE, INITIALIZED, OPEN, RUN_FOREVER].map(frame).join(''));
    expect(await host.exited).to.deep.equal({ code: 0, signal: null });
    expect(responses(host).map((m) => m.id)).to.deep.equal([1, 2, 3]);
    expect((responses(host)[2]?.result as CellResponse).status).to.equal('terminated');
    expect(host.notificationsOf('cell/closed').map((m) => m.params)).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false }]);
  });

  it('answers every request written before an unparseable header, then exits 2', async () => {
    const host = new RawHost();
    host.child.stdin.write([INITIALIZE, INITIALIZED, OPEN, RUN_FOREVER].map(frame).join('') + 'Content-Length: nope\r\n\r\n');
    expect(await host.exited).to.deep.equal({ code: 2, signal: null });
    expect(responses(host).map((m) => m.id)).to.deep.equal([1, 2, 3]);
    expect(host.notificationsOf('cell/closed').map((m) => (m.params as any).status)).to.deep.equal(['terminated']);
  });

  it('handles exit followed at once by EOF as exit (status 1 without shutdown), answering what came after it with -32012', async () => {
    const host = new RawHost();
    host.child.stdin.end([INITIALIZE, INITIALIZED, { jsonrpc: '2.0', method: 'exit' }, OPEN].map(frame).join(''));
    expect(await host.exited).to.deep.equal({ code: 1, signal: null });
    expect(responses(host).map((m) => [m.id, m.error?.code])).to.deep.equal([
      [1, undefined],
      [2, -32012],
    ]);
  });

  it('bounds output by its escaped JSON size, so a completed result always fits its response', () =>
    withHost(
      async (host) => {
        await openSession(host, 's', { maxOutputBytes: 1 << 20 });
        // 900,000 bytes of output, but every \x01 is six bytes once escaped (5.4 MB on the wire).
        const response = await execute(host, { source: "text('\\x01'.repeat(900_000)); text('IMPORTANT')" });
        expect(response.status).to.equal('completed');
        expect(texts(response)).to.deep.equal(['IMPORTANT', '[output truncated: 5400000 bytes dropped]']);
      },
      ['--max-message-bytes', String(4 << 20)],
    ));

  it('keeps a result pending when its response cannot be sent, for a wait that asks for less', () =>
    withHost(
      async (host) => {
        await openSession(host, 's', { maxOutputBytes: 4 << 20 });
        const tooLarge = await host.request('cell/execute', { sessionId: 's', source: "text('a'.repeat(1_500_000)); text('END')" });
        expect(tooLarge.error?.code).to.equal(-32031);
        expect((await cellClosed(host, '1')).params).to.deep.equal({ sessionId: 's', cellId: '1', status: 'completed', resultPending: true });
        const collected = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', maxOutputTokens: 100 });
        expect(collected.status).to.equal('completed');
        expect(texts(collected).at(-1)).to.equal('END');
      },
      ['--max-message-bytes', String(1 << 20)],
    ));

  it('keeps yielded output buffered when its response cannot be sent, for a wait that asks for less', () =>
    withHost(
      async (host) => {
        await openSession(host, 's', { maxOutputBytes: 4 << 20 });
        const tooLarge = await host.request('cell/execute', { sessionId: 's', source: "text('a'.repeat(1_500_000)); text('MIDDLE'); yield_control(); await new Promise(() => {})" });
        expect(tooLarge.error?.code).to.equal(-32031);
        expect(tooLarge.error?.message).to.match(/^The output of cell 1 since its last observation is 15\d{5} bytes as JSON, over maxMessageBytes \(1048576\), so it was not sent; it stays buffered/);
        expect(tooLarge.error?.data).to.deep.include({ kind: 'MessageTooLarge', cellId: '1', maxMessageBytes: 1 << 20 });
        const collected = await host.call<CellResponse>('cell/wait', { sessionId: 's', cellId: '1', maxOutputTokens: 100, yieldTimeMs: 0 });
        expect(collected.status).to.equal('yielded');
        expect(texts(collected).at(-1)).to.equal('MIDDLE');
        expect((await host.call<CellResponse>('cell/terminate', { sessionId: 's', cellId: '1' })).status).to.equal('terminated');
      },
      ['--max-message-bytes', String(1 << 20)],
    ));

  it('settles a tool call on every malformed answer that names it, and never replies -32600 to it', () =>
    withHost(async (host) => {
      await openSession(host);
      const answers: Record<string, (id: unknown) => string> = {
        errorNull: (id) => JSON.stringify({ jsonrpc: '2.0', id, result: { result: 'errorNull ok' }, error: null }),
        noJsonrpc: (id) => JSON.stringify({ id, result: { result: 'noJsonrpc ok' } }),
        stringId: (id) => JSON.stringify({ jsonrpc: '2.0', id: String(id), result: { result: 'stringId ok' } }),
        fractionalCode: (id) => JSON.stringify({ jsonrpc: '2.0', id, error: { code: 1.5, message: 'boom' } }),
        stringCode: (id) => JSON.stringify({ jsonrpc: '2.0', id, error: { code: '-32000', message: 'boom' } }),
      };
      const delegateIds: unknown[] = [];
      host.delegate = (m) => {
        delegateIds.push(m.id);
        host.send(answers[(m.params as any).tool.name]!(m.id));
        return NO_ANSWER;
      };
      const names = Object.keys(answers);
      const source = `for (const name of ${JSON.stringify(names)}) { try { text(await tools[name]()) } catch (e) { text(name + ' failed: ' + e.message) } }`;
      const response = await execute(host, { source, tools: names.map((name) => ({ name })) });
      expect(texts(response).slice(0, 3)).to.deep.equal(['errorNull ok', 'noJsonrpc ok', 'stringId ok']);
      expect(texts(response)[3]).to.match(/^fractionalCode failed: .*malformed.*integer "code"/);
      expect(texts(response)[4]).to.match(/^stringCode failed: .*malformed.*integer "code"/);
      expect(delegateIds).to.have.length(5);
      const replies = responses(host).filter((m) => m.error?.code === -32600);
      expect(replies).to.deep.equal([]);
    }));

  it('gives concurrent terminates of one running cell one shared outcome', () =>
    withHost(async (host) => {
      await openSession(host);
      // A race lost in most runs before the fix; a few rounds make it show every time.
      for (let round = 1; round <= 5; round++) {
        const first = await execute(host, { source: 'text("spin"); yield_control(); await null; while (true) {}' });
        expect(first.status).to.equal('yielded');
        const ids = [1, 2, 3].map((n) => `t${round}-${n}`);
        const terminate = (id: string) => ({ jsonrpc: '2.0', id, method: 'cell/terminate', params: { sessionId: 's', cellId: first.cellId } });
        const answered = ids.map((id) => host.waitFor((m) => !Array.isArray(m) && m.id === id, `terminate ${id}`));
        host.writeRaw(ids.map((id) => frame(terminate(id))).join(''));
        const statuses = (await Promise.all(answered)).map((m) => ((m as Message).result as CellResponse).status);
        expect(statuses, `round ${round}`).to.deep.equal(['terminated', 'terminated', 'terminated']);
      }
    }));

  it('forwards only data-URL raster images, whatever the isolate sends', () =>
    withHost(
      async (host) => {
        await openSession(host);
        const forged = [
          { type: 'image', imageUrl: 'https://tracker.example/pixel.png?secret=42' },
          { type: 'image', imageUrl: 'javascript:alert(1)' },
          { type: 'image', imageUrl: 'file:///etc/passwd' },
          { type: 'image', imageUrl: 'data:image/svg+xml;base64,PHN2Zy8+' },
          { type: 'image', imageUrl: 'data:text/html;base64,PGgxPg==' },
          { type: 'image', imageUrl: 'data:image/png;base64,iVBORw0KGgo=', detail: 'bogus' },
          { type: 'video', url: 'x' },
          { type: 'image', imageUrl: 'data:image/png;base64,iVBORw0KGgo=' },
        ];
        const response = await execute(host, { source: `Array.prototype.toJSON = function () { return ${JSON.stringify(forged)} }; text('x')` });
        const streamed = host.notificationsOf('cell/output').flatMap((m) => (m.params as any).items);
        const images = [...response.items, ...streamed].filter((item) => item.type !== 'text');
        expect(images.length).to.be.greaterThan(0);
        for (const item of images) expect(item).to.deep.equal({ type: 'image', imageUrl: 'data:image/png;base64,iVBORw0KGgo=' });
        const svg = await execute(host, { source: "try { image('data:image/svg+xml;base64,PHN2Zy8+') } catch (e) { text(e.message) }" });
        expect(texts(svg)).to.have.length(1);
        expect(texts(svg)[0]).to.equal('image accepts only base64 data: URLs of raster images, not "image/svg+xml": use png, jpeg, gif, webp, avif or bmp');
      },
      [],
      { cellOutput: true },
    ));

  it('rejects ids that cannot be echoed exactly with -32600', () =>
    withHost(async (host) => {
      for (const id of ['1e400', '18446744073709551616']) {
        const reply = host.waitFor((m) => !Array.isArray(m) && m.error?.code === -32600, `-32600 for ${id}`, 15_000, host.received.length);
        host.send(`{"jsonrpc":"2.0","id":${id},"method":"session/list"}`);
        const error = (await reply) as Message;
        expect(error.id).to.equal(null);
        expect(error.error?.message).to.match(/safe integer/);
      }
      expect((await host.request('cell/wait', { sessionId: 'none', cellId: '1' })).error?.code).to.equal(-32010);
    }));

  it('answers a body that is not valid UTF-8 with -32700', () =>
    withHost(async (host) => {
      const body = Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":7,"method":"session/open","params":{"sessionId":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]);
      const reply = host.waitFor((m) => !Array.isArray(m) && m.error !== undefined, '-32700', 15_000, host.received.length);
      host.writeRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]));
      const error = (await reply) as Message;
      expect([error.id, error.error?.code]).to.deep.equal([null, -32700]);
      expect(error.error?.message).to.match(/UTF-8/);
    }));
});

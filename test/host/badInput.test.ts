import { expect } from 'chai';
import { RawHost, withHost, type Message } from '../support/rawHost.js';

const frame = (text: string) => `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;

/** The next message after `index` that is an error response (or batch). */
async function nextAfter(host: RawHost, index: number, what: string): Promise<Message | Message[]> {
  return host.waitFor(() => true, what, 5_000, index);
}

describe('bad input on the wire (docs/protocol.md, Transport)', function () {
  it('skips a body over maxMessageBytes, answers -32031 with id null, and keeps serving', () =>
    withHost(
      async (host) => {
        const before = host.received.length;
        const big = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'session/open', params: { sessionId: 'x'.repeat(5000) } });
        host.writeRaw(frame(big));
        const error = (await nextAfter(host, before, 'oversize error')) as Message;
        expect(error.id).to.equal(null);
        expect(error.error?.code).to.equal(-32031);
        expect(error.error?.data?.kind).to.equal('MessageTooLarge');
        expect((await host.call('session/open', { sessionId: 'after' })).sessionId).to.equal('after');
      },
      ['--max-message-bytes', '2048'],
    ));

  it('answers a body that is not JSON with -32700 and id null', () =>
    withHost(async (host) => {
      const before = host.received.length;
      host.writeRaw(frame('{"jsonrpc":"2.0","id":1,'));
      const error = (await nextAfter(host, before, 'parse error')) as Message;
      expect(error).to.deep.include({ jsonrpc: '2.0', id: null });
      expect(error.error?.code).to.equal(-32700);
      expect(error.error?.data?.kind).to.equal('ParseError');
      expect((await host.call('session/open', {})).sessionId).to.equal('session-1');
    }));

  const invalid: Array<[string, unknown, number | string | null]> = [
    ['wrong jsonrpc version', { jsonrpc: '1.0', id: 3, method: 'session/open' }, 3],
    ['missing jsonrpc', { id: 'a', method: 'session/open' }, 'a'],
    ['id that is an object', { jsonrpc: '2.0', id: { x: 1 }, method: 'session/open' }, null],
    ['null id on a request', { jsonrpc: '2.0', id: null, method: 'session/open' }, null],
    ['method that is a number', { jsonrpc: '2.0', id: 4, method: 5 }, 4],
    ['params that is a string', { jsonrpc: '2.0', id: 5, method: 'session/open', params: 'x' }, 5],
    ['a bare number', 42, null],
    ['a string', 'hello', null],
  ];
  for (const [name, body, id] of invalid) {
    it(`answers ${name} with -32600 echoing id ${JSON.stringify(id)}`, () =>
      withHost(async (host) => {
        const before = host.received.length;
        host.send(JSON.stringify(body));
        const error = (await nextAfter(host, before, name)) as Message;
        expect(error.id).to.deep.equal(id);
        expect(error.error?.code).to.equal(-32600);
        expect(error.error?.data?.kind).to.equal('InvalidRequest');
        expect((await host.call('session/open', {})).sessionId).to.equal('session-1');
      }));
  }

  describe('batches (JSON-RPC 2.0 section 6)', () => {
    it('answers a mixed batch with one array of its requests’ responses', () =>
      withHost(async (host) => {
        const before = host.received.length;
        host.send([
          { jsonrpc: '2.0', id: 'a', method: 'session/open', params: { sessionId: 'b1' } },
          { jsonrpc: '2.0', method: 'initialized' },
          { jsonrpc: '2.0', id: 'b', method: 'no/such' },
          { jsonrpc: '1.0', id: 'c', method: 'session/open' },
          7,
        ]);
        const batch = (await nextAfter(host, before, 'batch response')) as Message[];
        expect(batch).to.be.an('array').with.length(4);
        const byId = new Map(batch.map((m) => [JSON.stringify(m.id), m]));
        expect(byId.get('"a"')?.result).to.deep.include({ sessionId: 'b1' });
        expect(byId.get('"b"')?.error?.code).to.equal(-32601);
        expect(byId.get('"c"')?.error?.code).to.equal(-32600);
        expect(byId.get('null')?.error?.code).to.equal(-32600);
      }));

    it('answers an empty batch with a single -32600 object', () =>
      withHost(async (host) => {
        const before = host.received.length;
        host.send('[]');
        const error = (await nextAfter(host, before, 'empty batch error')) as Message;
        expect(Array.isArray(error)).to.equal(false);
        expect(error.id).to.equal(null);
        expect(error.error?.code).to.equal(-32600);
      }));

    it('answers a batch of notifications with nothing', () =>
      withHost(async (host) => {
        const before = host.received.length;
        host.send([{ jsonrpc: '2.0', method: 'initialized' }, { jsonrpc: '2.0', method: 'no/such' }]);
        const marker = await host.call('session/open', { sessionId: 'marker' });
        expect(marker.sessionId).to.equal('marker');
        expect(host.received.slice(before)).to.have.length(1);
      }));
  });

  it('answers a duplicate in-flight id with -32600 and leaves the first untouched', () =>
    withHost(async (host) => {
      await host.call('session/open', { sessionId: 's' });
      host.send({ jsonrpc: '2.0', id: 99, method: 'cell/execute', params: { sessionId: 's', source: 'await new Promise((r) => setTimeout(r, 300)); text("first")' } });
      await new Promise((r) => setTimeout(r, 50));
      const before = host.received.length;
      host.send({ jsonrpc: '2.0', id: 99, method: 'session/open', params: { sessionId: 'dup' } });
      const duplicate = (await nextAfter(host, before, 'duplicate error')) as Message;
      expect(duplicate.id).to.equal(99);
      expect(duplicate.error?.code).to.equal(-32600);
      expect(duplicate.error?.data?.kind).to.equal('InvalidRequest');
      const after = host.received.indexOf(duplicate) + 1;
      const answered = (await host.waitFor((m: any) => m.id === 99, 'first response', 5_000, after)) as Message;
      expect((answered.result as any).status).to.equal('completed');
      expect((answered.result as any).items).to.deep.equal([{ type: 'text', text: 'first' }]);
      expect((await host.request('session/open', { sessionId: 'dup' })).result).to.deep.include({ sessionId: 'dup' });
    }));

  it('answers an unknown method with -32601 and ignores an unknown notification', () =>
    withHost(async (host) => {
      host.notify('no/such/notification', { x: 1 });
      const response = await host.request('no/such', {});
      expect(response.error?.code).to.equal(-32601);
      expect(response.error?.data?.kind).to.equal('MethodNotFound');
    }));

  it('answers invalid params with -32602 and data.errors [{path, message}]', () =>
    withHost(async (host) => {
      const cases: Array<[string, unknown, string]> = [
        ['session/open', { sessionId: 's', extra: true }, '/extra'],
        ['session/close', {}, '/sessionId'],
        ['cell/execute', { sessionId: 's', source: 5 }, '/source'],
        ['cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: -1 }, '/yieldTimeMs'],
        ['cell/execute', { sessionId: 's', source: '1', tools: [{ name: 'x', kind: 'weird' }] }, '/tools/0/kind'],
        ['shutdown', { now: true }, '/now'],
      ];
      for (const [method, params, path] of cases) {
        const response = await host.request(method, params);
        expect(response.error?.code, method).to.equal(-32602);
        expect(response.error?.data?.kind).to.equal('InvalidParams');
        const errors = response.error?.data?.errors as Array<{ path: string; message: string }>;
        expect(errors[0]?.path, `${method} ${JSON.stringify(params)}`).to.equal(path);
        expect(errors[0]?.message).to.be.a('string').and.not.equal('');
      }
    }));

  it('treats "params": null as absent', () =>
    withHost(async (host) => {
      expect((await host.request('session/open', null)).result).to.deep.include({ sessionId: 'session-1' });
      expect((await host.request('shutdown', null)).result).to.equal(null);
    }));

  it('ignores a response with an unknown id and logs it on stderr', () =>
    withHost(async (host) => {
      host.send({ jsonrpc: '2.0', id: 12345, result: { result: 1 } });
      expect((await host.call('session/open', {})).sessionId).to.equal('session-1');
      await host.stderrMatching(/12345/);
    }));

  const fatalHeaders: Array<[string, string]> = [
    ['no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'],
    ['a non-numeric length', 'Content-Length: abc\r\n\r\n{}'],
    ['a negative length', 'Content-Length: -5\r\n\r\n{}'],
    ['a length with trailing junk', 'Content-Length: 2abc\r\n\r\n{}'],
    ['a header block over 8 KiB', `X-Padding: ${'p'.repeat(9000)}\r\nContent-Length: 2\r\n\r\n{}`],
    ['a charset other than UTF-8', 'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}'],
  ];
  for (const [name, bytes] of fatalHeaders) {
    it(`exits 2 after logging on ${name}`, async () => {
      const host = await RawHost.start();
      await host.call('session/open', { sessionId: 's' });
      host.writeRaw(bytes);
      const exit = await host.exited;
      expect(exit.code).to.equal(2);
      await host.stderrMatching(/error/i);
    });
  }

  it('accepts header names in any case and the utf8 charset spelling', () =>
    withHost(async (host) => {
      const body = JSON.stringify({ jsonrpc: '2.0', id: 'h', method: 'session/open', params: { sessionId: 'e' } });
      host.writeRaw(`content-length: ${Buffer.byteLength(body)}\r\nCONTENT-TYPE: application/vscode-jsonrpc; charset=utf8\r\n\r\n${body}`);
      const response = (await host.waitFor((m: any) => m.id === 'h', 'response h')) as Message;
      expect(response.result).to.deep.include({ sessionId: 'e' });
    }));
});

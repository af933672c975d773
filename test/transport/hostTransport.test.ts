import { expect } from 'chai';
import { ResponseError } from 'vscode-jsonrpc/node';
import { FrameHeaderError } from '../../server/transport/hostTransport.js';
import { frame, notification, Peer, request, result } from './harness.js';

const kindOf = (message: { error?: { data?: { kind?: string } } }) => message.error?.data?.kind;

describe('host transport', () => {
  let peer: Peer;
  afterEach(() => peer?.dispose());

  describe('well-formed traffic', () => {
    it('answers requests through the star handler and passes params as sent', async () => {
      peer = new Peer();
      peer.send(request(1, 'echo', { a: 1 }));
      expect(await peer.next()).to.deep.equal(result(1, { a: 1 }));
      peer.send(request('two', 'echo', [1, 2]));
      expect(await peer.next()).to.deep.equal(result('two', [1, 2]));
    });

    it('treats "params": null as absent', async () => {
      peer = new Peer();
      peer.send({ jsonrpc: '2.0', id: 1, method: 'echo', params: null });
      expect(await peer.next()).to.deep.equal(result(1, 'no params'));
    });

    it('sends null for a handler result of undefined', async () => {
      peer = new Peer();
      peer.send(request(1, 'nothing'));
      expect(await peer.next()).to.deep.equal(result(1, null));
    });

    it('passes $/cancelRequest through to the handler token', async () => {
      peer = new Peer();
      peer.send(request(1, 'hold', { key: 'a' }));
      await peer.pending(10);
      peer.send(notification('$/cancelRequest', { id: 1 }));
      expect(await peer.next()).to.deep.equal(result(1, 'cancelled'));
    });

    it('drops a malformed $/cancelRequest with a log line instead of crashing', async () => {
      peer = new Peer();
      peer.send(notification('$/cancelRequest'));
      peer.send(notification('$/cancelRequest', [1]));
      peer.send(request(1, 'echo', ['ok']));
      expect(await peer.next()).to.deep.equal(result(1, ['ok']));
      expect(peer.log.filter((line) => line.message.includes('$/cancelRequest'))).to.have.length(2);
    });
  });

  describe('bad input (docs/protocol.md, Transport)', () => {
    it('skips a body over maxMessageBytes, answers -32031 with id null, then serves the next request', async () => {
      peer = new Peer({ maxMessageBytes: 1024 });
      const big = frame(JSON.stringify(request(1, 'echo', ['x'.repeat(2000)])));
      peer.sendRaw(big.subarray(0, 40));
      peer.sendRaw(big.subarray(40, 1500));
      peer.sendRaw(Buffer.concat([big.subarray(1500), frame(JSON.stringify(request(2, 'echo', ['ok'])))]));
      const tooLarge = await peer.next();
      expect(tooLarge.id).to.equal(null);
      expect(tooLarge.error.code).to.equal(-32031);
      expect(tooLarge.error.data).to.include({ kind: 'MessageTooLarge', limit: 'maxMessageBytes', maxMessageBytes: 1024 });
      expect(tooLarge.error.message).to.match(/^Message body of \d+ bytes exceeds maxMessageBytes \(1024\); it was skipped\. .*--max-message-bytes/);
      expect(await peer.next()).to.deep.equal(result(2, ['ok']));
    });

    it('answers a body that is not JSON with -32700 and id null', async () => {
      peer = new Peer();
      peer.sendRaw(frame('{"jsonrpc":"2.0","id":1,'));
      peer.sendRaw(frame(''));
      peer.send(request(2, 'echo', ['ok']));
      for (let i = 0; i < 2; i++) {
        const reply = await peer.next();
        expect(reply).to.deep.include({ jsonrpc: '2.0', id: null });
        expect(reply.error.code).to.equal(-32700);
        expect(kindOf(reply)).to.equal('ParseError');
      }
      expect(await peer.next()).to.deep.equal(result(2, ['ok']));
    });

    it('answers invalid JSON-RPC with -32600, echoing a string or number id only', async () => {
      peer = new Peer();
      const cases: [unknown, string | number | null][] = [
        [42, null],
        ['text', null],
        [null, null],
        [{ jsonrpc: '1.0', id: 1, method: 'echo' }, 1],
        [{ id: 'a', method: 'echo' }, 'a'],
        [{ jsonrpc: '2.0', id: null, method: 'echo' }, null],
        [{ jsonrpc: '2.0', id: { x: 1 }, method: 'echo' }, null],
        [{ jsonrpc: '2.0', id: true, method: 'echo' }, null],
        [{ jsonrpc: '2.0', id: 5, method: 7 }, 5],
        [{ jsonrpc: '2.0', method: 7 }, null],
        [{ jsonrpc: '2.0', id: 6, method: 'echo', params: 'str' }, 6],
        [{ jsonrpc: '2.0', id: 7, method: 'echo', params: 3 }, 7],
        [{ jsonrpc: '2.0', id: 8 }, 8],
        [{ jsonrpc: '2.0', id: 9, result: 1, error: { code: 1, message: 'm' } }, 9],
        [{ jsonrpc: '2.0', id: 10, error: { code: 'x', message: 'm' } }, 10],
        [{ jsonrpc: '2.0', id: [1], result: 1 }, null],
        [{ jsonrpc: '2.0' }, null],
      ];
      for (const [message] of cases) peer.send(message);
      peer.send(request(11, 'echo', ['ok']));
      for (const [message, id] of cases) {
        const reply = await peer.next();
        expect(reply.id, JSON.stringify(message)).to.equal(id);
        expect(reply.error.code, JSON.stringify(message)).to.equal(-32600);
        expect(kindOf(reply)).to.equal('InvalidRequest');
        expect(reply.error.message).to.match(/^Invalid Request: .+\. Send a JSON-RPC 2\.0/);
      }
      expect(await peer.next()).to.deep.equal(result(11, ['ok']));
    });

    describe('batches', () => {
      it('answers an empty batch with one -32600 object, not an array', async () => {
        peer = new Peer();
        peer.sendRaw(frame('[]'));
        const reply = await peer.next();
        expect(reply).to.not.be.an('array');
        expect(reply).to.deep.include({ id: null });
        expect(reply.error.code).to.equal(-32600);
      });

      it('answers a mixed batch with one array in element order, without notifications', async () => {
        peer = new Peer();
        peer.send([
          request(1, 'hold', { key: 'slow' }),
          notification('whatever'),
          42,
          request(2, 'echo', ['two']),
          request(1, 'echo', ['dup']),
          { jsonrpc: '2.0', id: 3, method: 9 },
        ]);
        expect(await peer.pending()).to.deep.equal([]); // waits for the held request
        peer.release('slow');
        const reply = await peer.next();
        expect(reply).to.be.an('array').with.length(5);
        expect(reply[0]).to.deep.equal(result(1, 'released slow'));
        expect([reply[1].id, reply[1].error.code]).to.deep.equal([null, -32600]);
        expect(reply[2]).to.deep.equal(result(2, ['two']));
        expect([reply[3].id, reply[3].error.code]).to.deep.equal([1, -32600]);
        expect([reply[4].id, reply[4].error.code]).to.deep.equal([3, -32600]);
      });

      it('writes nothing for a batch of notifications and client responses', async () => {
        peer = new Peer();
        peer.send([notification('a'), notification('$/cancelRequest', { id: 99 }), result(55, 'late'), notification('b', [1])]);
        peer.send(request(1, 'echo', ['after']));
        expect(await peer.next()).to.deep.equal(result(1, ['after']));
        expect(await peer.pending()).to.deep.equal([]);
      });

      it('answers a batch of only invalid elements at once', async () => {
        peer = new Peer();
        peer.sendRaw(frame('[1, 2]'));
        const reply = await peer.next();
        expect(reply.map((element: { id: unknown; error: { code: number } }) => [element.id, element.error.code])).to.deep.equal([
          [null, -32600],
          [null, -32600],
        ]);
      });

      it('replaces the largest responses with -32031 when the array would exceed maxMessageBytes', async () => {
        peer = new Peer({ maxMessageBytes: 1000 });
        peer.send([request(1, 'big', { size: 900 }), request(2, 'big', { size: 100 }), request(3, 'echo', ['small'])]);
        const reply = await peer.next();
        expect(reply.map((element: { id: number }) => element.id)).to.deep.equal([1, 2, 3]);
        expect(reply[0].error.code).to.equal(-32031);
        expect(reply[0].error.message).to.match(/^The batch response of \d+ bytes exceeds maxMessageBytes \(1000\)/);
        expect(reply[1].result).to.have.length(100);
        expect(reply[2]).to.deep.equal(result(3, ['small']));
      });
    });

    it('answers a duplicate in-flight id with -32600 for the duplicate only (1 and "1" are the same id)', async () => {
      peer = new Peer();
      peer.send(request(1, 'hold', { key: 'first' }));
      peer.send(request(1, 'echo', ['dup']));
      peer.send(request('1', 'echo', ['dup as string']));
      const dup = await peer.next();
      expect([dup.id, dup.error.code, kindOf(dup)]).to.deep.equal([1, -32600, 'InvalidRequest']);
      expect(dup.error.message).to.include('already in flight');
      const dupString = await peer.next();
      expect([dupString.id, dupString.error.code]).to.deep.equal(['1', -32600]);
      peer.release('first');
      expect(await peer.next()).to.deep.equal(result(1, 'released first'));
      peer.send(request(1, 'echo', ['reused']));
      expect(await peer.next()).to.deep.equal(result(1, ['reused']));
    });

    it('answers a request over maxInFlightRequests with -32030 at once, without running it', async () => {
      peer = new Peer({ maxInFlightRequests: 2 });
      peer.send(request(1, 'hold', { key: 'a' }));
      peer.send(request(2, 'hold', { key: 'b' }));
      peer.send(request(3, 'hold', { key: 'c' }));
      const overloaded = await peer.next();
      expect(overloaded.id).to.equal(3);
      expect(overloaded.error.code).to.equal(-32030);
      expect(overloaded.error.data).to.deep.equal({ kind: 'Overloaded', limit: 'maxInFlightRequests' });
      peer.release('a');
      expect(await peer.next()).to.deep.equal(result(1, 'released a'));
      peer.send(request(4, 'echo', ['room again']));
      expect(await peer.next()).to.deep.equal(result(4, ['room again']));
      expect(peer.started).to.deep.equal(['a', 'b']);
    });

    it('logs and ignores a client response with an unknown id', async () => {
      peer = new Peer();
      peer.send(result(77, 'stray'));
      peer.send({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'client could not parse' } });
      peer.send(request(1, 'echo', ['still here']));
      expect(await peer.next()).to.deep.equal(result(1, ['still here']));
      const messages = peer.log.map((line) => line.message);
      expect(messages).to.include('Ignored a response for unknown request id 77.');
      expect(messages).to.include('The client sent an error without a request id: -32700 client could not parse');
    });
  });

  describe('outgoing limits', () => {
    it('replaces a response over maxMessageBytes with -32031 for the same id', async () => {
      peer = new Peer({ maxMessageBytes: 1000 });
      peer.send(request(1, 'big', { size: 1500 }));
      const reply = await peer.next();
      expect(reply.id).to.equal(1);
      expect(reply.error.code).to.equal(-32031);
      expect(kindOf(reply)).to.equal('MessageTooLarge');
      expect(reply.error.message).to.match(/^The response of 15\d\d bytes exceeds maxMessageBytes \(1000\); it was not sent\./);
      peer.send(request(1, 'echo', ['id free again']));
      expect(await peer.next()).to.deep.equal(result(1, ['id free again']));
    });

    it('rejects sendRequest over maxMessageBytes with -32099 and keeps the connection working', async () => {
      peer = new Peer({ maxMessageBytes: 1000 });
      const { connection } = peer.transport;
      const error = await connection.sendRequest('delegate/invokeTool', { input: 'x'.repeat(1500) }).then(
        () => expect.fail('should reject'),
        (reason: unknown) => reason,
      );
      expect(error).to.be.instanceOf(ResponseError);
      expect((error as ResponseError<unknown>).code).to.equal(-32099);
      expect((error as ResponseError<unknown>).message).to.match(/^Request delegate\/invokeTool of 15\d\d bytes exceeds maxMessageBytes \(1000\); it was not sent\.$/);
      expect(await peer.pending()).to.deep.equal([]);

      const small = connection.sendRequest('delegate/invokeTool', { input: 1 });
      const sent = await peer.next();
      expect(sent).to.deep.include({ method: 'delegate/invokeTool', params: { input: 1 } });
      peer.send(result(sent.id, { result: 5 }));
      expect(await small).to.deep.equal({ result: 5 });
      peer.send(request(9, 'echo', ['ok']));
      expect(await peer.next()).to.deep.equal(result(9, ['ok']));
    });

    it('drops a notification over maxMessageBytes with a log line', async () => {
      peer = new Peer({ maxMessageBytes: 1000 });
      await peer.transport.connection.sendNotification('cell/output', { text: 'x'.repeat(2000) });
      await peer.transport.connection.sendNotification('cell/closed', { ok: true });
      expect(await peer.next()).to.deep.equal(notification('cell/closed', { ok: true }));
      expect(peer.log.some((line) => line.message.startsWith('Notification cell/output of'))).to.equal(true);
    });
  });

  describe('end of input, fatal headers and dead output', () => {
    it('reports a header error as fatal, stops reading, and can still write', async () => {
      peer = new Peer();
      const fatal = new Promise<FrameHeaderError>((resolve) => peer.transport.onFatal(resolve));
      peer.sendRaw('Content-Length: 12abc\r\n\r\n');
      peer.send(request(1, 'echo', ['never']));
      const error = await fatal;
      expect(error).to.be.instanceOf(FrameHeaderError);
      expect(error.problem).to.equal('invalidContentLength');
      await peer.transport.connection.sendNotification('cell/closed', {});
      expect(await peer.next()).to.deep.equal(notification('cell/closed', {}));
      expect(await peer.pending()).to.deep.equal([]);
    });

    it('dispatches every message read before EOF, in order, before reporting EOF, and tells when all are answered', async () => {
      peer = new Peer();
      const atEof = new Promise<string[]>((resolve) => peer.transport.onInputEnd(() => resolve([...peer.started])));
      peer.input.end(Buffer.concat([frame(JSON.stringify(request(1, 'hold', { key: 'a' }))), frame(JSON.stringify(request(2, 'hold', { key: 'b' })))]));
      expect(await atEof).to.deep.equal(['a', 'b']);
      let answered = false;
      const allAnswered = peer.transport.connection.answered().then(() => (answered = true));
      peer.release('b');
      expect(await peer.next()).to.deep.equal(result(2, 'released b'));
      expect(answered).to.equal(false);
      peer.release('a');
      expect(await peer.next()).to.deep.equal(result(1, 'released a'));
      await allAnswered;
    });

    it('reports input EOF without closing the connection', async () => {
      peer = new Peer();
      const ended = new Promise<void>((resolve) => peer.transport.onInputEnd(resolve));
      peer.input.end();
      await ended;
      await peer.transport.connection.sendNotification('cell/closed', { last: true });
      expect(await peer.next()).to.deep.equal(notification('cell/closed', { last: true }));
      await peer.transport.flushed();
    });

    it('survives a dead output: writes fail without unhandled rejections or crashes', async () => {
      peer = new Peer();
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const errors: Error[] = [];
        peer.transport.onWriteError((error) => errors.push(error));
        peer.output.destroy(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
        const sent = await peer.transport.connection.sendRequest('delegate/notify', {}).then(
          () => 'resolved',
          (error: ResponseError<unknown>) => error.code,
        );
        expect(sent).to.equal(-32099);
        await peer.transport.connection.sendNotification('cell/closed', {}).catch(() => {});
        peer.send(request(1, 'echo', ['into the void']));
        peer.sendRaw(frame('not json'));
        await peer.pending(50);
        await peer.transport.flushed();
        expect(errors.map((error) => error.message)).to.include('write EPIPE');
        expect(unhandled).to.deep.equal([]);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });
});

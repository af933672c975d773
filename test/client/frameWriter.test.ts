import { expect } from 'chai';
import { once } from 'node:events';
import { Writable } from 'node:stream';
import type { Message } from 'vscode-jsonrpc/node';
import { FrameWriter } from '../../client/frameWriter.js';
import { MessageTooLargeError } from '../../client/index.js';
import { ErrorCode } from '../../schemas/index.js';

/** A stream that records what reaches it, and in how many write calls. */
class Sink extends Writable {
  readonly chunks: Buffer[] = [];
  calls = 0;
  fail: Error | undefined;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.calls++;
    this.chunks.push(chunk);
    callback(this.fail);
  }

  override _writev(chunks: { chunk: Buffer }[], callback: (error?: Error | null) => void): void {
    this.calls++;
    this.chunks.push(...chunks.map((entry) => entry.chunk));
    callback(this.fail);
  }

  get bytes(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

/** Splits Content-Length frames back into parsed bodies; fails on anything else. */
function frames(bytes: Buffer): unknown[] {
  const messages: unknown[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf('\r\n\r\n', offset);
    const header = bytes.subarray(offset, end).toString('latin1');
    const match = /^Content-Length: (\d+)$/.exec(header);
    expect(match, header).to.not.equal(null);
    const length = Number(match![1]);
    const body = bytes.subarray(end + 4, end + 4 + length);
    expect(body.length).to.equal(length);
    messages.push(JSON.parse(body.toString('utf8')));
    offset = end + 4 + length;
  }
  return messages;
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

/** A pipe: it copies what it is given when it takes it, and takes each chunk only when told to. */
class Pipe extends Writable {
  readonly given: Buffer[] = [];
  readonly copies: Buffer[] = [];
  private readonly pending: Array<() => void> = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.given.push(chunk);
    this.pending.push(() => {
      this.copies.push(Buffer.from(chunk));
      callback();
    });
  }

  takeOne(): void {
    this.pending.shift()!();
  }
}

describe('FrameWriter', () => {
  it('sends the frames written in one tick in one write, in order and intact, multi-byte UTF-8 included', async () => {
    const sink = new Sink();
    const writer = new FrameWriter(sink, () => 1 << 20, false);
    const sent: Message[] = [
      { jsonrpc: '2.0', id: 1, method: 'cell/execute', params: { source: 'text("héllo → 世界 🎉")' } } as Message,
      { jsonrpc: '2.0', id: 7, result: { result: '日本語 ✓ 😀'.repeat(100) } } as Message,
      { jsonrpc: '2.0', method: '$/cancelRequest', params: { id: 1 } } as Message,
      { jsonrpc: '2.0', id: 'h8', result: null } as Message,
    ];
    const written = sent.map((message) => writer.write(message));
    await Promise.all(written);
    expect(sink.calls).to.equal(1);
    expect(frames(sink.bytes)).to.deep.equal(sent);

    // A later tick is a new batch.
    await writer.write({ jsonrpc: '2.0', method: 'exit' } as Message);
    expect(sink.calls).to.equal(2);
    expect(frames(sink.bytes).at(-1)).to.deep.equal({ jsonrpc: '2.0', method: 'exit' });
  });

  it("encodes a large turn into the buffer of one the pipe took, never into one it still holds", async () => {
    const pipe = new Pipe();
    const writer = new FrameWriter(pipe, () => 1 << 20, true);
    const answer = (id: number, letter: string) => ({ jsonrpc: '2.0', id, result: { result: letter.repeat(100_000) } }) as Message;
    void writer.write(answer(1, 'a'));
    await tick();
    void writer.write(answer(2, 'b'));
    await tick();
    pipe.takeOne();
    await tick();
    expect(pipe.given[1]!.buffer, 'encoded while the pipe held the first').to.not.equal(pipe.given[0]!.buffer);
    void writer.write(answer(3, 'c'));
    await tick();
    pipe.takeOne();
    await tick();
    expect(pipe.given[2]!.buffer, 'the buffer the pipe took').to.equal(pipe.given[0]!.buffer);
    pipe.takeOne();
    expect(pipe.copies.map((copy) => frames(copy))).to.deep.equal([[answer(1, 'a')], [answer(2, 'b')], [answer(3, 'c')]]);
    writer.dispose();
  });

  it('writes the frames of the turn before the stream ends, whoever ends it', async () => {
    const response = { jsonrpc: '2.0', id: 3, result: { result: 'last' } } as Message;
    const ended = new Sink();
    const writer = new FrameWriter(ended, () => 1 << 20, false);
    void writer.write(response);
    writer.end();
    await once(ended, 'finish');
    expect(frames(ended.bytes)).to.deep.equal([response]);

    // HostProcess ends the child's stdin itself: the connection flushes first.
    const flushed = new Sink();
    const other = new FrameWriter(flushed, () => 1 << 20, false);
    void other.write(response);
    other.flush();
    flushed.end();
    await once(flushed, 'finish');
    expect(frames(flushed.bytes)).to.deep.equal([response]);
  });

  it('refuses a request over maxMessageBytes without writing anything, and hands its error back once', async () => {
    const sink = new Sink();
    const writer = new FrameWriter(sink, () => 100, false);
    const request = { jsonrpc: '2.0', id: 3, method: 'cell/execute', params: { source: 'é'.repeat(40) } } as Message;
    const bytes = Buffer.byteLength(JSON.stringify(request));
    let error: unknown;
    await writer.write(request).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(MessageTooLargeError);
    const tooLarge = error as MessageTooLargeError;
    expect(tooLarge.code).to.equal('MESSAGE_TOO_LARGE');
    expect(tooLarge.bytes).to.equal(bytes);
    expect(tooLarge.message).to.equal(
      `The cell/execute request is ${bytes} bytes, over the host's maxMessageBytes of 100; nothing was sent. Send less data.`,
    );
    await tick();
    expect(sink.calls).to.equal(0);
    // vscode-jsonrpc rejects sendRequest with a -32099 ResponseError carrying only the message.
    expect(writer.takeRefusal(tooLarge.message)).to.equal(error);
    expect(writer.takeRefusal(tooLarge.message)).to.equal(undefined);
    expect(writer.takeRefusal('write EPIPE')).to.equal(undefined);
  });

  it('rejects a notification over the limit with the error itself, keeping nothing', async () => {
    const sink = new Sink();
    const writer = new FrameWriter(sink, () => 64, false);
    let error: unknown;
    await writer.write({ jsonrpc: '2.0', method: 'initialized', params: { pad: 'x'.repeat(100) } } as Message).catch((e: unknown) => (error = e));
    expect(error).to.be.instanceOf(MessageTooLargeError);
    expect(writer.takeRefusal((error as Error).message)).to.equal(undefined);
    await tick();
    expect(sink.calls).to.equal(0);
  });

  it('replaces a response over the limit by a MessageTooLarge error for the same id', async () => {
    const sink = new Sink();
    const writer = new FrameWriter(sink, () => 200, false);
    const response = { jsonrpc: '2.0', id: 42, result: { result: 'ü'.repeat(200) } } as Message;
    const bytes = Buffer.byteLength(JSON.stringify(response));
    await writer.write(response);
    await writer.write({ jsonrpc: '2.0', id: 43, result: { result: 'small' } } as Message);
    await tick();
    expect(frames(sink.bytes)).to.deep.equal([
      {
        jsonrpc: '2.0',
        id: 42,
        error: {
          code: ErrorCode.MessageTooLarge,
          message: `tool result of ${bytes} bytes exceeds the host's maxMessageBytes of 200`,
          data: { kind: 'MessageTooLarge' },
        },
      },
      { jsonrpc: '2.0', id: 43, result: { result: 'small' } },
    ]);
  });

  it('replaces a response that is not JSON by an InternalError for the same id', async () => {
    const sink = new Sink();
    const writer = new FrameWriter(sink, () => 1000, false);
    await writer.write({ jsonrpc: '2.0', id: 'x1', result: { result: 10n } } as unknown as Message);
    await tick();
    const [reply] = frames(sink.bytes) as { id: unknown; error: { code: number; message: string; data: unknown } }[];
    expect(reply!.id).to.equal('x1');
    expect(reply!.error.code).to.equal(ErrorCode.InternalError);
    expect(reply!.error.message).to.match(/^tool result is not JSON: .*BigInt/);
    expect(reply!.error.data).to.deep.equal({ kind: 'InternalError' });
  });

  it('reports a failing stream once; later writes reject and responses never become unhandled rejections', async () => {
    const sink = new Sink();
    sink.fail = new Error('write EPIPE');
    sink.on('error', () => undefined);
    const writer = new FrameWriter(sink, () => 1000, false);
    const errors: Error[] = [];
    writer.onError(([error]) => errors.push(error));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      await writer.write({ jsonrpc: '2.0', id: 1, result: null } as Message);
      let first: unknown;
      await writer.write({ jsonrpc: '2.0', id: 2, method: 'cell/wait', params: {} } as Message).catch((e: unknown) => (first = e));
      expect((first as Error).message).to.equal('write EPIPE');
      let later: unknown;
      await writer.write({ jsonrpc: '2.0', id: 3, method: 'cell/wait', params: {} } as Message).catch((e: unknown) => (later = e));
      expect(later).to.equal(first);
      await writer.write({ jsonrpc: '2.0', id: 4, result: null } as Message);
      await tick();
      await tick();
      expect(errors.map((error) => error.message)).to.deep.equal(['write EPIPE']);
      expect(writer.takeRefusal('write EPIPE')).to.equal(undefined);
      expect(unhandled).to.deep.equal([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

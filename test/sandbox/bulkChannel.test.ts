/**
 * The bulk pipe for large string tool results (server/sandbox/bulkChannel.ts): frames survive any
 * chunking and keep their order, strings come back exactly (lone surrogates included), and through
 * a real sandbox process bulk and ordinary results reach the right calls.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { silentLogger } from '../../server/log.js';
import { RawText } from '../../server/rawText.js';
import { BULK_MIN_CHARS, BulkReader, BulkWriter, type BulkHeader } from '../../server/sandbox/bulkChannel.js';
import { Supervisor } from '../../server/sandbox/supervisor.js';
import { SpareBuffer } from '../../schemas/spareBuffer.js';
import { runCell, texts } from './harness.js';

/** Shared with the cell, which rebuilds each expected string to compare. */
const GENERATE = `(kind, size) => {
  const unit = kind === 'ascii' ? 'abc{"}\\\\\\n' : kind === 'wide' ? 'é€😀\\ud800x' : 'small';
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}`;
const generate = new Function(`return ${GENERATE}`)() as (kind: string, size: number) => string;

/** A pipe: it copies each chunk when it takes it, at once or, when `held`, only when told to. */
class Pipe extends Writable {
  readonly given: Buffer[] = [];
  readonly copies: Buffer[] = [];
  private readonly pending: Array<() => void> = [];

  constructor(private readonly held = false) {
    super();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.given.push(chunk);
    this.pending.push(() => {
      this.copies.push(Buffer.from(chunk));
      callback();
    });
    if (!this.held) this.takeOne();
  }

  takeOne(): void {
    this.pending.shift()!();
  }
}

/** The frames of `texts` as written to a pipe, as one buffer. */
async function framesOf(texts: string[]): Promise<Buffer> {
  const pipe = new Pipe();
  const writer = new BulkWriter(pipe);
  texts.forEach((text, i) => writer.write(7, i + 1, text));
  pipe.end();
  await new Promise((resolve) => pipe.once('finish', resolve));
  writer.dispose();
  return Buffer.concat(pipe.copies);
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

function readAll(bytes: Buffer, chunkSizes: (i: number) => number): Array<[BulkHeader, string]> {
  const delivered: Array<[BulkHeader, string]> = [];
  const reader = new BulkReader((header, text) => delivered.push([header, text]));
  for (let offset = 0, i = 0; offset < bytes.length; i++) {
    const size = chunkSizes(i);
    reader.push(bytes.subarray(offset, offset + size));
    offset += size;
  }
  reader.dispose();
  return delivered;
}

/** Where a frame's parts meet, and one byte either side: inside the length, header and payload, and odd offsets of a UTF-16 payload. */
function awkwardOffsets(bytes: Buffer): number[] {
  const offsets = new Set<number>();
  for (let start = 0; start < bytes.length; ) {
    const payload = start + 4 + bytes.readUInt32BE(start);
    const end = payload + (JSON.parse(bytes.toString('utf8', start + 4, payload)) as BulkHeader).bytes;
    for (const at of [start + 1, start + 3, start + 4, start + 5, payload - 1, payload, payload + 1, (payload + end) >> 1, ((payload + end) >> 1) + 1, end - 1, end]) {
      if (at > 0 && at < bytes.length) offsets.add(at);
    }
    start = end;
  }
  return [...offsets].sort((a, b) => a - b);
}

/** The payload buffers a reader takes, while `body` runs. */
function payloadBuffersOf(body: () => void): ArrayBufferLike[] {
  const taken: ArrayBufferLike[] = [];
  const take = SpareBuffer.prototype.take;
  SpareBuffer.prototype.take = function (this: SpareBuffer, bytes: number) {
    const buffer = take.call(this, bytes);
    taken.push(buffer.buffer);
    return buffer;
  };
  try {
    body();
  } finally {
    SpareBuffer.prototype.take = take;
  }
  return taken;
}

describe('sandbox: bulk channel', function () {
  this.timeout(60_000);

  it('delivers frames in order, exactly, however the pipe splits them', async () => {
    const sent = [generate('ascii', 1000), generate('wide', 999), generate('ascii', 1), generate('wide', 2)];
    const bytes = await framesOf(sent);
    for (const chunking of [() => 1, () => 7, (i: number) => 1 + ((i * 37) % 500), () => bytes.length]) {
      const delivered = readAll(bytes, chunking);
      expect(delivered.map(([header]) => [header.run, header.call, header.encoding])).to.deep.equal([
        [7, 1, 'latin1'],
        [7, 2, 'utf16le'],
        [7, 3, 'latin1'],
        [7, 4, 'utf16le'],
      ]);
      expect(delivered.map(([, text]) => text)).to.deep.equal(sent);
    }
  });

  it('reads frames of every size and encoding in a row into a reused buffer, split anywhere, and what it delivered stays intact', async () => {
    const unit = (i: number) => (i % 2 === 0 ? 'abcdefghijklmnopqrstuvwxyz'.slice(i) + String(i) : `é${i}€😀\ud800`);
    const sizes = [70_000, 50_000, 3, 1, 120_000, 30_000, 0, 90_000];
    const sent = sizes.map((size, i) => unit(i).repeat(Math.ceil(size / unit(i).length)).slice(0, size));
    const bytes = await framesOf(sent);
    const offsets = awkwardOffsets(bytes);
    const splits = [...offsets.map((at) => [at]), offsets];
    for (const split of splits) {
      const edges = [0, ...split, bytes.length];
      let delivered: Array<[BulkHeader, string]> = [];
      const buffers = payloadBuffersOf(() => (delivered = readAll(bytes, (i) => edges[i + 1]! - edges[i]!)));
      expect(new Set(buffers).size, 'payload buffers reused').to.be.below(sent.length - 2);
      expect(delivered.map(([header]) => header.call)).to.deep.equal(sent.map((_, i) => i + 1));
      expect(delivered.map(([, text]) => text), `split at ${split.join(', ')}`).to.deep.equal(sent);
    }
  });

  it("releases a RawText's bytes only once the pipe is done with them", async () => {
    const pipe = new Pipe(true);
    let released = 0;
    new BulkWriter(pipe).write(1, 2, new RawText(Buffer.from('x'.repeat(BULK_MIN_CHARS)), () => released++));
    for (const part of ['header', 'bytes']) {
      await turn();
      expect(released, `before the pipe took the ${part}`).to.equal(0);
      pipe.takeOne();
    }
    await turn();
    expect(released).to.equal(1);
  });

  it('encodes a string result into the buffer of one the pipe took, never into one it still holds', async () => {
    const pipe = new Pipe(true);
    const writer = new BulkWriter(pipe);
    const sent = [generate('wide', BULK_MIN_CHARS), generate('ascii', BULK_MIN_CHARS), generate('ascii', BULK_MIN_CHARS + 9)];
    writer.write(7, 1, sent[0]!);
    writer.write(7, 2, sent[1]!);
    for (let i = 0; i < 4; i++) {
      await turn();
      pipe.takeOne();
    }
    writer.write(7, 3, sent[2]!);
    await turn();
    pipe.takeOne();
    await turn();
    pipe.takeOne();
    const [first, second, third] = [pipe.given[1]!, pipe.given[3]!, pipe.given[5]!];
    expect(second.buffer, 'encoded while the pipe held the first').to.not.equal(first.buffer);
    expect([first.buffer, second.buffer], 'a buffer the pipe took').to.include(third.buffer);
    expect(readAll(Buffer.concat(pipe.copies), () => 65536).map(([, text]) => text)).to.deep.equal(sent);
    writer.dispose();
  });

  it('refuses a stream that is not frames', () => {
    const reader = new BulkReader(() => expect.fail('nothing is delivered'));
    expect(() => reader.push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).to.throw('bulk channel: a header of 4294967295 bytes');
  });

  it('brings large and small results of parallel tool calls to the right calls of a cell in a sandbox process', async () => {
    const sandbox = new Supervisor({ logger: silentLogger, logLevel: 'error', maxProcesses: 1, idleExitMs: 60_000, whenOutputDrains: () => Promise.resolve() });
    const calls = [['ascii', BULK_MIN_CHARS], ['wide', BULK_MIN_CHARS + 5], ['small', 5], ['ascii', 3 * BULK_MIN_CHARS + 1], ['wide', 2 * BULK_MIN_CHARS]] as const;
    try {
      const { exit, rec } = await runCell(
        sandbox,
        `const generate = ${GENERATE};
        const calls = ${JSON.stringify(calls)};
        const results = await Promise.all(calls.map(([kind, size]) => tools.echo({ kind, size })));
        text(results.map((r, i) => r === generate(...calls[i]) ? 'same ' + r.length : 'differs').join(', '))`,
        {
          tool: async (_name, inputJson) => {
            const { kind, size } = JSON.parse(inputJson!) as { kind: string; size: number };
            return { ok: true, result: generate(kind, size) };
          },
        },
      );
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      expect(texts(rec)).to.deep.equal([calls.map(([, size]) => `same ${size}`).join(', ')]);
    } finally {
      sandbox.dispose();
    }
  });
});

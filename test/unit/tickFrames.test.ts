/**
 * TickFrames (schemas/framing.ts), the writer both ends frame their messages with: a turn's frames
 * leave together at the turn's end, or as soon as they fill a pipe, always whole and in order.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { EARLY_WRITE_BYTES, encodeFrame, TickFrames } from '../../schemas/framing.js';

/** Records every buffer the writer hands the stream, and takes each at once. */
class RecordingSink extends Writable {
  readonly writes: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.writes.push(Buffer.from(chunk));
    done();
  }
}

/** A body of exactly `bytes` ASCII bytes, different for each `n`. */
const body = (n: number, bytes: number): string => `"${String(n).padStart(6, '0')}${'x'.repeat(bytes - 8)}"`;

const framesOf = (bodies: string[]): Buffer => Buffer.concat(bodies.map((json) => encodeFrame(json, json.length)));

describe('TickFrames', () => {
  const fail = (error: Error) => expect.fail(`unexpected write error: ${error.message}`);

  it('writes the frames of a turn below a pipe’s capacity as one buffer when the turn ends', async () => {
    const sink = new RecordingSink();
    const frames = new TickFrames(sink, fail);
    const bodies = [body(1, 100), body(2, 200), body(3, 300)];
    const written = bodies.map((json) => frames.write(json, json.length));
    expect(sink.writes).to.have.length(0);
    await Promise.all(written);
    expect(sink.writes).to.have.length(1);
    expect(sink.writes[0]!.equals(framesOf(bodies))).to.equal(true);
  });

  it('writes a turn’s frames as soon as they fill a pipe, and the rest when the turn ends, in order', async () => {
    const sink = new RecordingSink();
    const frames = new TickFrames(sink, fail);
    // 1024-byte frames (`Content-Length: 1000` and a 1000-byte body): the 64th fills the pipe.
    const bodies = Array.from({ length: 100 }, (_, n) => body(n, 1000));
    const written = bodies.map((json) => frames.write(json, json.length));
    expect(sink.writes.map((buffer) => buffer.length)).to.deep.equal([64 * 1024]);
    expect(sink.writes[0]!.equals(framesOf(bodies.slice(0, 64)))).to.equal(true);
    await Promise.all(written);
    expect(sink.writes.map((buffer) => buffer.length)).to.deep.equal([64 * 1024, 36 * 1024]);
    expect(Buffer.concat(sink.writes).equals(framesOf(bodies))).to.equal(true);
  });

  it('writes a frame of a pipe’s capacity or more at once, after the frames queued before it', async () => {
    const sink = new RecordingSink();
    const frames = new TickFrames(sink, fail);
    const bodies = [body(1, 10), body(2, EARLY_WRITE_BYTES), body(3, 10)];
    const written = bodies.map((json) => frames.write(json, json.length));
    expect(sink.writes).to.have.length(1);
    expect(sink.writes[0]!.equals(framesOf(bodies.slice(0, 2)))).to.equal(true);
    await Promise.all(written);
    expect(Buffer.concat(sink.writes).equals(framesOf(bodies))).to.equal(true);
    expect(sink.writes).to.have.length(2);
  });

  it('settles idle() only once every buffer was taken, including one written early', async () => {
    const sink = new RecordingSink();
    const frames = new TickFrames(sink, fail);
    const big = body(1, EARLY_WRITE_BYTES);
    void frames.write(big, big.length);
    void frames.write(body(2, 10), 10);
    await frames.idle();
    expect(sink.writes).to.have.length(2);
    expect(Buffer.concat(sink.writes).equals(framesOf([big, body(2, 10)]))).to.equal(true);
  });
});

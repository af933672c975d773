/**
 * LSP base-protocol framing as both ends write it: header and body in one buffer, and the frames
 * written in the same turn leaving in one write (in writes of a pipe's capacity when they are
 * more). Shared by the host and the client so the two writers cannot drift apart.
 */
import type { Writable } from 'node:stream';
import { SPARE_MIN_BYTES, type SpareBuffer } from './spareBuffer.js';

/**
 * A message's JSON text: one string, or parts whose concatenation is the text. Parts let a writer
 * put a long string between two short ones without concatenating them: V8 encodes a concatenated
 * (rope) string of 16 MiB tens of times slower than a flat one.
 */
export type JsonText = string | readonly string[];

/** The UTF-8 byte count of `json`. */
export function jsonBytes(json: JsonText): number {
  if (typeof json === 'string') return Buffer.byteLength(json, 'utf8');
  let bytes = 0;
  for (const part of json) bytes += Buffer.byteLength(part, 'utf8');
  return bytes;
}

/** One frame: `Content-Length` header and the body, which is `bytes` UTF-8 bytes. */
export function encodeFrame(json: JsonText, bytes: number): Buffer {
  const header = `Content-Length: ${bytes}\r\n\r\n`;
  const frame = Buffer.allocUnsafe(header.length + bytes);
  let offset = frame.write(header, 0, 'latin1');
  if (typeof json === 'string') frame.write(json, offset, 'utf8');
  else for (const part of json) offset += frame.write(part, offset, 'utf8');
  return frame;
}

/** Room for a header: `Content-Length: ` and `\r\n\r\n` around at most 16 digits. */
const HEADER_ROOM = 36;

/**
 * A turn's frames are written at once when they reach a pipe's capacity, instead of at the turn's
 * end: the reader starts on them while the rest are still being made. The host's frames of a burst
 * of 2000 tool calls (about 400 KB) then leave in a few writes, and the client answers the first
 * while the host frames the last; in one write, the client waited for the whole burst.
 */
export const EARLY_WRITE_BYTES = 64 * 1024;

/**
 * Collects the frames written during one event-loop turn and writes them as one buffer at the end
 * of the turn, or as soon as they reach EARLY_WRITE_BYTES: a few system calls and client wake-ups
 * for a cell's thousands of parallel tool calls, and one stream write, callback and promise per
 * buffer instead of one per frame (the stream's own bookkeeping for a corked write of each frame
 * cost more than encoding it).
 *
 * The turn ends in the check phase (`setImmediate`), not at `process.nextTick`: a write made
 * inside a host function that an isolate called runs outside Node's callback scope, and under
 * isolated-vm 7 on Node 26 the tick queue then waits for the next unrelated callback (about 10 ms
 * with the CPU-watch timer). The check phase comes every loop turn whatever scheduled it.
 */
export class TickFrames {
  private bodies: JsonText[] = [];
  private lengths: number[] = [];
  private room = 0;
  private turn: { written: Promise<void>; settle: (error: Error | null | undefined) => void } | undefined;
  private last: Promise<void> = Promise.resolve();

  /**
   * `onError` hears of a failed write before its turn's promise rejects. With `spare`, large turns
   * are encoded into its buffer and give it back when their write's callback runs: only for a
   * stream that is done with a buffer by then, as a pipe is (the kernel has the bytes), not one
   * that passes it on to a reader (a PassThrough).
   */
  constructor(
    private readonly stream: Writable,
    private readonly onError: (error: Error) => void,
    private readonly spare?: SpareBuffer,
  ) {}

  /**
   * Queues the frame of `json`, which is `bytes` UTF-8 bytes. The promise, shared by the frames of
   * its buffer, settles once the stream took them; ignoring it never makes an unhandled rejection.
   */
  write(json: JsonText, bytes: number): Promise<void> {
    const turn = this.turn ?? this.open();
    this.bodies.push(json);
    this.lengths.push(bytes);
    this.room += HEADER_ROOM + bytes;
    if (this.room >= EARLY_WRITE_BYTES) this.flush();
    return turn.written;
  }

  /** Resolves once every frame queued so far has been taken by the stream or failed; never rejects. */
  idle(): Promise<void> {
    return this.last;
  }

  /** Writes the frames queued so far now: before the stream is ended. */
  readonly flush = (): void => {
    const turn = this.turn;
    if (turn === undefined) return;
    const { bodies, lengths } = this;
    const spare = this.room >= SPARE_MIN_BYTES ? this.spare : undefined;
    const buffer = spare?.take(this.room) ?? Buffer.allocUnsafe(this.room);
    this.turn = undefined;
    this.bodies = [];
    this.lengths = [];
    this.room = 0;
    let offset = 0;
    for (let i = 0; i < bodies.length; i++) {
      offset += buffer.write(`Content-Length: ${lengths[i]}\r\n\r\n`, offset, 'latin1');
      const json = bodies[i]!;
      if (typeof json === 'string') offset += buffer.write(json, offset, 'utf8');
      else for (const part of json) offset += buffer.write(part, offset, 'utf8');
    }
    const written = buffer.subarray(0, offset);
    if (spare === undefined) {
      this.stream.write(written, turn.settle);
      return;
    }
    this.stream.write(written, (error) => {
      spare.giveBack(buffer);
      turn.settle(error);
    });
  };

  private open(): NonNullable<TickFrames['turn']> {
    let settle!: (error: Error | null | undefined) => void;
    const written = new Promise<void>((resolve, reject) => {
      settle = (error) => {
        if (!error) return resolve();
        this.onError(error);
        reject(error);
      };
    });
    const turn = { written, settle };
    this.turn = turn;
    this.last = written.catch(() => {});
    setImmediate(this.flush);
    return turn;
  }
}

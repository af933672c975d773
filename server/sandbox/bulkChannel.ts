/**
 * Large string tool results, host → sandbox process, on a pipe of their own (the child's stdin)
 * instead of the IPC channel. Node's "advanced" IPC serializes a 16 MiB string into a growing
 * buffer, copies it once more to put its length in front, and the receiver joins the chunks again
 * before deserializing; none of those passes is needed to move a string. Here its bytes are
 * encoded once by the host and read once by the sandbox process into a buffer of the announced
 * size, then decoded. That roughly halves the CPU the hop costs (docs/benchmarks.md).
 *
 * A frame is a u32 (big-endian) header length, the header as JSON (BulkHeader), then the string's
 * `bytes` bytes: latin1 when every character is ASCII (one byte each), else utf16le, which carries
 * any JavaScript string exactly (UTF-8 would replace a lone surrogate). Frames arrive in the order
 * written; a bulk reply may overtake a smaller reply sent on the IPC channel before it, which no
 * cell can tell from the client having answered in that order.
 */
import type { Writable } from 'node:stream';
import { SpareBuffer } from '../../schemas/spareBuffer.js';
import { RawText } from '../rawText.js';
import type { CallId, RunId } from './messages.js';

/** Below this a string's trip through the IPC channel costs less than a frame of its own. */
export const BULK_MIN_CHARS = 256 * 1024;

type BulkEncoding = 'latin1' | 'utf16le';

export interface BulkHeader {
  run: RunId;
  call: CallId;
  encoding: BulkEncoding;
  bytes: number;
}

/** A header is a few dozen bytes; anything longer means the stream is out of step. */
const MAX_HEADER_BYTES = 4096;

/**
 * The host's side, on the sandbox process's stdin: a pipe, so a buffer is free again once its
 * write's callback ran (the kernel has the bytes).
 */
export class BulkWriter {
  /** A string result is encoded into the buffer of the one before. */
  private readonly encoded = new SpareBuffer();

  constructor(private readonly pipe: Writable) {}

  /**
   * Writes the successful tool result `text` of that call as one frame. A RawText's bytes (ASCII)
   * are written as they are, without a copy, and released once the pipe is done with them.
   */
  write(run: RunId, call: CallId, text: string | RawText): void {
    const encoding: BulkEncoding = text instanceof RawText || Buffer.byteLength(text, 'utf8') === text.length ? 'latin1' : 'utf16le';
    const header: BulkHeader = { run, call, encoding, bytes: encoding === 'latin1' ? text.length : 2 * text.length };
    const json = JSON.stringify(header);
    const head = Buffer.allocUnsafe(4 + Buffer.byteLength(json));
    head.writeUInt32BE(head.length - 4, 0);
    head.write(json, 4, 'utf8');
    this.pipe.write(head);
    if (text instanceof RawText) {
      this.pipe.write(text.bytes, () => text.release());
      return;
    }
    const bytes = this.encoded.take(header.bytes);
    bytes.write(text, encoding);
    this.pipe.write(bytes, () => this.encoded.giveBack(bytes));
  }

  /** Frees the spare buffer; writes still in flight drop theirs. */
  dispose(): void {
    this.encoded.dispose();
  }
}

type ReaderState =
  | { kind: 'length'; have: Buffer; filled: number }
  | { kind: 'header'; have: Buffer; filled: number }
  | { kind: 'payload'; header: BulkHeader; have: Buffer; filled: number };

const awaitingLength = (): ReaderState => ({ kind: 'length', have: Buffer.allocUnsafe(4), filled: 0 });

/** The sandbox process's side: reassembles frames from the pipe's chunks, whatever their sizes. */
export class BulkReader {
  private state: ReaderState = awaitingLength();
  /**
   * A payload is dead once decoded (toString copies it), so the next is read into its buffer. The
   * spare is freed after a second without a frame, not when the process has no cells: a client
   * running one cell after another, each with a large result, leaves it without cells in between.
   */
  private readonly payloads = new SpareBuffer();

  constructor(private readonly deliver: (header: BulkHeader, text: string) => void) {}

  /** Throws when the stream is not bulk frames: the host wrote it, so that is a bug, not an input. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      const state = this.state;
      const take = Math.min(state.have.length - state.filled, chunk.length - offset);
      chunk.copy(state.have, state.filled, offset, offset + take);
      state.filled += take;
      offset += take;
      if (state.filled === state.have.length) this.complete(state);
    }
    if (this.state.kind === 'payload' && this.state.have.length === 0) this.complete(this.state);
  }

  private complete(state: ReaderState): void {
    switch (state.kind) {
      case 'length': {
        const length = state.have.readUInt32BE(0);
        if (length === 0 || length > MAX_HEADER_BYTES) throw new Error(`bulk channel: a header of ${length} bytes`);
        this.state = { kind: 'header', have: Buffer.allocUnsafe(length), filled: 0 };
        return;
      }
      case 'header': {
        const header = JSON.parse(state.have.toString('utf8')) as BulkHeader;
        this.state = { kind: 'payload', header, have: this.payloads.take(header.bytes), filled: 0 };
        return;
      }
      case 'payload': {
        this.state = awaitingLength();
        const text = state.have.toString(state.header.encoding);
        this.payloads.giveBack(state.have);
        this.deliver(state.header, text);
        return;
      }
    }
  }

  /** Frees the spare payload buffer; nothing more will be pushed. */
  dispose(): void {
    this.payloads.dispose();
  }
}

/**
 * Incremental parser of LSP base-protocol frames (`Content-Length: N\r\n...\r\n\r\n<N bytes>`).
 * Works on bytes, never characters, so a multi-byte UTF-8 sequence split across chunks is fine.
 * A body over `maxMessageBytes` is counted down and dropped without being buffered.
 */
import { FrameHeaderError } from './frameHeaderError.js';
import { SPARE_MIN_BYTES, type SpareBuffer } from './spareBuffer.js';

/** Largest header block (every header line plus the blank line) the parser accepts. */
export const MAX_HEADER_BYTES = 8192;

/** How much of a skipped body is kept to identify it. */
export const OVERSIZE_HEAD_BYTES = 256;

export interface FrameEvents {
  /**
   * A complete body of at most `maxMessageBytes` bytes. With `release`, the body is a buffer of
   * the parser's spare: call it once neither the body nor any view of it is used, and the next
   * large body is read into it; a body never released is left to the garbage collector.
   */
  frame(body: Buffer, release?: () => void): void;
  /**
   * A body of `byteLength` bytes over the limit, skipped unread except its first bytes (at most
   * OVERSIZE_HEAD_BYTES), which are enough to tell whose response it was.
   */
  oversize(byteLength: number, head: Buffer): void;
  /** The header could not be parsed; the parser has stopped for good. */
  fatal(error: FrameHeaderError): void;
}

type ParserState =
  // `matched` counts how much of the `\r\n\r\n` terminator the last bytes matched.
  | { kind: 'header'; matched: number }
  /** `body` exists once the body turned out to span chunks; `lender` is the spare it came from. */
  | { kind: 'body'; remaining: number; length: number; body: Buffer | undefined; lender: SpareBuffer | undefined }
  | { kind: 'skipping'; remaining: number; length: number; head: Buffer; headLength: number }
  | { kind: 'failed' };

const CR = 0x0d;
const LF = 0x0a;
const TERMINATOR = [CR, LF, CR, LF] as const;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const UTF8_CHARSETS = new Set(['utf-8', 'utf8']);

export class FrameParser {
  private state: ParserState = { kind: 'header', matched: 0 };
  // The header block is bounded, so one fixed buffer holds it and no chunk is ever concatenated.
  private readonly header = Buffer.allocUnsafe(MAX_HEADER_BYTES);
  private headerLength = 0;

  /** With `spare`, large bodies are read into its buffer (see FrameEvents.frame). */
  constructor(
    private readonly maxMessageBytes: number,
    private readonly events: FrameEvents,
    private readonly spare?: SpareBuffer,
  ) {}

  /** True between frames: nothing of a next frame has arrived yet. */
  get atFrameBoundary(): boolean {
    return this.state.kind === 'header' && this.headerLength === 0;
  }

  /** Feeds the next chunk of the input stream; events fire synchronously from here. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      switch (this.state.kind) {
        case 'header':
          offset = this.readHeader(chunk, offset, this.state);
          break;
        case 'body':
          offset = this.readBody(chunk, offset, this.state);
          break;
        case 'skipping':
          offset = this.skipBody(chunk, offset, this.state);
          break;
        case 'failed':
          return;
      }
    }
  }

  private readHeader(chunk: Buffer, start: number, state: { matched: number }): number {
    for (let i = start; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (this.headerLength === MAX_HEADER_BYTES) {
        this.fail(new FrameHeaderError('headerTooLarge', `Frame header block exceeds ${MAX_HEADER_BYTES} bytes without a blank line.`));
        return chunk.length;
      }
      this.header[this.headerLength++] = byte;
      state.matched = byte === TERMINATOR[state.matched] ? state.matched + 1 : byte === CR ? 1 : 0;
      if (state.matched === TERMINATOR.length) {
        this.endHeader();
        return i + 1;
      }
    }
    return chunk.length;
  }

  private endHeader(): void {
    const end = this.headerLength - TERMINATOR.length;
    this.headerLength = 0;
    let length = canonicalLength(this.header, end);
    if (length < 0) {
      try {
        // latin1 maps bytes 1:1, so a stray non-ASCII byte shows up in the error text instead of vanishing.
        length = parseHeaderBlock(this.header.toString('latin1', 0, end));
      } catch (error) {
        this.fail(error as FrameHeaderError);
        return;
      }
    }
    if (length > this.maxMessageBytes) {
      this.state = { kind: 'skipping', remaining: length, length, head: Buffer.allocUnsafe(OVERSIZE_HEAD_BYTES), headLength: 0 };
    } else if (length === 0) {
      this.state = { kind: 'header', matched: 0 };
      this.events.frame(Buffer.alloc(0));
    } else {
      this.state = { kind: 'body', remaining: length, length, body: undefined, lender: undefined };
    }
  }

  /**
   * A body within one chunk is handed on as a view of it, never copied. One that spans chunks is
   * copied once, into a buffer of its length, as each chunk arrives: for a large body that copy
   * (and the first touch of the buffer's pages) overlaps the transfer instead of following it.
   */
  private readBody(chunk: Buffer, offset: number, state: Extract<ParserState, { kind: 'body' }>): number {
    const take = Math.min(state.remaining, chunk.length - offset);
    if (state.body === undefined && take === state.length) {
      this.state = { kind: 'header', matched: 0 };
      this.events.frame(chunk.subarray(offset, offset + take));
      return offset + take;
    }
    state.body ??= this.allocate(state);
    chunk.copy(state.body, state.length - state.remaining, offset, offset + take);
    state.remaining -= take;
    if (state.remaining === 0) {
      this.state = { kind: 'header', matched: 0 };
      const { body, lender } = state;
      this.events.frame(body, lender && (() => lender.giveBack(body)));
    }
    return offset + take;
  }

  private allocate(state: Extract<ParserState, { kind: 'body' }>): Buffer {
    state.lender = state.length >= SPARE_MIN_BYTES ? this.spare : undefined;
    return state.lender?.take(state.length) ?? Buffer.allocUnsafe(state.length);
  }

  private skipBody(chunk: Buffer, offset: number, state: Extract<ParserState, { kind: 'skipping' }>): number {
    const take = Math.min(state.remaining, chunk.length - offset);
    const headWanted = Math.min(OVERSIZE_HEAD_BYTES - state.headLength, take);
    const headWasFull = state.headLength === OVERSIZE_HEAD_BYTES;
    if (headWanted > 0) state.headLength += chunk.copy(state.head, state.headLength, offset, offset + headWanted);
    state.remaining -= take;
    // Announce as soon as the head is known, so the reply does not wait for the whole body.
    if (!headWasFull && state.headLength === OVERSIZE_HEAD_BYTES) this.events.oversize(state.length, state.head);
    if (state.remaining === 0) {
      this.state = { kind: 'header', matched: 0 };
      if (state.headLength < OVERSIZE_HEAD_BYTES) this.events.oversize(state.length, state.head.subarray(0, state.headLength));
    }
    return offset + take;
  }

  private fail(error: FrameHeaderError): void {
    this.state = { kind: 'failed' };
    this.events.fatal(error);
  }
}

const CANONICAL_PREFIX = Buffer.from('Content-Length: ', 'latin1');
/** At most this many digits are a safe integer whatever they are. */
const CANONICAL_MAX_DIGITS = 15;

/**
 * The body length of a header block (without its blank line) that is exactly `Content-Length: `
 * and 1 to 15 digits, as both ends of this package write it; -1 for any other block, which
 * parseHeaderBlock then reads. The general parse makes a string, an array and regular expression
 * runs per frame: for the small frames of a burst of tool calls it cost as much as the body's.
 */
function canonicalLength(header: Buffer, end: number): number {
  const prefix = CANONICAL_PREFIX.length;
  if (end <= prefix || end > prefix + CANONICAL_MAX_DIGITS) return -1;
  for (let i = 0; i < prefix; i++) if (header[i] !== CANONICAL_PREFIX[i]) return -1;
  let length = 0;
  for (let i = prefix; i < end; i++) {
    const digit = header[i]! - 0x30;
    if (digit < 0 || digit > 9) return -1;
    length = length * 10 + digit;
  }
  return length;
}

/** Validates one header block (without its blank line) and returns the body length. */
function parseHeaderBlock(text: string): number {
  let length: number | undefined;
  for (const line of text === '' ? [] : text.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = colon < 0 ? '' : line.slice(0, colon);
    if (!HEADER_NAME.test(name) || /[\r\n]/.test(line)) {
      throw new FrameHeaderError('malformedHeaderLine', `Frame header line ${JSON.stringify(line)} is not "Name: value" ending in CRLF.`);
    }
    const value = line.slice(colon + 1).trim();
    switch (name.toLowerCase()) {
      case 'content-length':
        if (length !== undefined) {
          throw new FrameHeaderError('duplicateContentLength', 'Frame header has more than one Content-Length.');
        }
        length = parseContentLength(value);
        break;
      case 'content-type':
        checkCharset(value);
        break;
      // Other headers are allowed by the base protocol and carry nothing the host needs.
    }
  }
  if (length === undefined) {
    throw new FrameHeaderError('missingContentLength', 'Frame header has no Content-Length.');
  }
  return length;
}

function parseContentLength(value: string): number {
  // Strictly digits: parseInt would read "12abc" as 12 and "-5" would be negative.
  const length = /^[0-9]+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(length)) {
    throw new FrameHeaderError('invalidContentLength', `Content-Length ${JSON.stringify(value)} is not a non-negative decimal byte count.`);
  }
  return length;
}

/** Only the charset matters for decoding; the media type is not checked. */
function checkCharset(value: string): void {
  for (const parameter of value.split(';').slice(1)) {
    const equals = parameter.indexOf('=');
    if (parameter.slice(0, equals).trim().toLowerCase() !== 'charset') continue;
    const charset = parameter.slice(equals + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (!UTF8_CHARSETS.has(charset)) {
      throw new FrameHeaderError('unsupportedCharset', `Content-Type charset ${JSON.stringify(charset)} is not supported; use utf-8.`);
    }
  }
}

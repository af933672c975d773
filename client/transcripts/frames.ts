/**
 * LSP base-protocol framing, read leniently: the recorder must forward and record whatever a
 * client writes, including the malformed frames a conformance transcript sends on purpose.
 */
const HEADER_END = Buffer.from('\r\n\r\n');
/** docs/protocol.md, Transport: a longer header block is unrecoverable. */
const MAX_HEADER_BYTES = 8192;

export type Chunk =
  /** A frame with a readable `Content-Length`; `canonical` when its header is exactly `Content-Length: N`. */
  | { kind: 'frame'; bytes: Buffer; body: Buffer; canonical: boolean }
  /** Bytes that are not a frame. Once framing is lost, every later byte is reported this way. */
  | { kind: 'garbage'; bytes: Buffer };

export function encodeFrame(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'ascii'), bytes]);
}

export class FrameSplitter {
  private buffer = Buffer.alloc(0);
  private lost = false;

  /** Feeds bytes; returns every chunk completed by them. */
  push(bytes: Buffer): Chunk[] {
    this.buffer = Buffer.concat([this.buffer, bytes]);
    const chunks: Chunk[] = [];
    for (;;) {
      if (this.buffer.length === 0) return chunks;
      if (this.lost) return [...chunks, this.takeAll()];
      const headerEnd = this.buffer.indexOf(HEADER_END);
      if (headerEnd < 0) {
        if (this.buffer.length > MAX_HEADER_BYTES) chunks.push(this.lose());
        return chunks;
      }
      const length = headerEnd > MAX_HEADER_BYTES ? undefined : contentLength(this.buffer.subarray(0, headerEnd).toString('latin1'));
      if (length === undefined) {
        chunks.push(this.lose());
        continue;
      }
      const start = headerEnd + HEADER_END.length;
      if (this.buffer.length < start + length) return chunks;
      const frame = this.buffer.subarray(0, start + length);
      this.buffer = this.buffer.subarray(start + length);
      chunks.push({ kind: 'frame', bytes: frame, body: frame.subarray(start), canonical: headerEnd === `Content-Length: ${length}`.length && frame.toString('latin1', 0, headerEnd) === `Content-Length: ${length}` });
    }
  }

  /** At end of stream: whatever is left is not a frame. */
  flush(): Chunk[] {
    return this.buffer.length === 0 ? [] : [this.takeAll()];
  }

  private lose(): Chunk {
    this.lost = true;
    return this.takeAll();
  }

  private takeAll(): Chunk {
    const bytes = this.buffer;
    this.buffer = Buffer.alloc(0);
    return { kind: 'garbage', bytes };
  }
}

function contentLength(header: string): number | undefined {
  let length: number | undefined;
  for (const line of header.split('\r\n')) {
    const match = /^content-length:\s*(\d+)\s*$/i.exec(line);
    if (match !== null) length = Number(match[1]);
  }
  return length;
}

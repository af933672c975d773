/**
 * LSP base-protocol framing as both ends write it: header and body in one buffer, and every
 * frame written in the same tick leaving in one `writev`. Shared by the host and the client so
 * the two writers cannot drift apart.
 */
import type { Writable } from 'node:stream';

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

/**
 * Holds a stream corked until the event loop's check phase, so the frames written during one
 * loop turn go out in one system call: a cell awaiting thousands of tool calls at once costs a
 * few writes and wake-ups instead of thousands.
 *
 * The uncork is a `setImmediate`, not a `process.nextTick`: a write made inside a host function
 * that an isolate called runs outside Node's callback scope, and under isolated-vm 7 on Node 26
 * the tick queue then waits for the next unrelated callback (about 10 ms with the CPU-watch
 * timer). The check phase comes every loop turn whatever scheduled it.
 */
export class TickCork {
  private corked = false;

  constructor(private readonly stream: Writable) {}

  /** Writes `frame`, corking the stream for the rest of the tick if it is not already. */
  write(frame: Buffer, callback: (error: Error | null | undefined) => void): void {
    if (!this.corked) {
      this.corked = true;
      this.stream.cork();
      setImmediate(this.uncork);
    }
    this.stream.write(frame, callback);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.stream.uncork();
  };
}

/**
 * Writes framed messages to the host's stdin: header and body as one buffer, one `stream.write`
 * per message, so frames never interleave and need no lock. The frames written in one tick leave
 * in one `writev` (the stream is corked until the tick ends). The client hands every message
 * already read to its dispatcher in one turn (FrameReader), so the delegate responses they
 * produce leave in one write. A stream error (EPIPE once the host died) is reported once; every
 * later write then fails at once, and a write nobody waits for fails silently, so no error
 * becomes an unhandled rejection or an unhandled 'error' event.
 */
import type { Writable } from 'node:stream';
import { encodeFrame, TickCork, type JsonText } from '../schemas/framing.js';

export class FrameOutput {
  private failure: Error | undefined;
  private readonly cork: TickCork;

  /** `onError` fires once, on the first failure of the stream or of a write. */
  constructor(
    stream: Writable,
    private readonly onError: (error: Error) => void,
  ) {
    this.cork = new TickCork(stream);
    stream.on('error', this.failed);
  }

  /** Frames `json`, which is `bytes` UTF-8 bytes; settles once the stream took the frame. */
  write(json: JsonText, bytes: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise<void>((resolve, reject) => {
      this.push(json, bytes, (error) => {
        if (!error) return resolve();
        this.failed(error);
        reject(error);
      });
    });
  }

  /** Frames `json` without waiting for the stream; a failure only reaches `onError`. */
  post(json: JsonText, bytes: number): void {
    if (this.failure === undefined) this.push(json, bytes, this.settled);
  }

  private push(json: JsonText, bytes: number, callback: (error: Error | null | undefined) => void): void {
    const frame = encodeFrame(json, bytes);
    this.cork.write(frame, callback);
  }

  private readonly settled = (error: Error | null | undefined): void => {
    if (error) this.failed(error);
  };

  private readonly failed = (error: Error): void => {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.onError(error);
  };
}

/**
 * Writes framed messages to the output stream: header and body as one buffer, one
 * `stream.write` per message, so frames never interleave and no lock is needed. The frames
 * written in one tick leave in one `writev` (cork until the tick ends): a cell awaiting 2000 tool
 * calls at once then costs a few system calls and client wake-ups instead of 2000. Stream errors
 * (EPIPE once the client is gone) are reported once and turn every later write into a rejection,
 * never into an unhandled 'error' event.
 */
import type { Writable } from 'node:stream';
import { encodeFrame, TickCork } from '../../schemas/framing.js';

type OutputState = { kind: 'open' } | { kind: 'failed'; error: Error } | { kind: 'disposed' };

export class FrameOutput {
  private state: OutputState = { kind: 'open' };
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly cork: TickCork;

  /**
   * `onError` fires once, on the first failure. The stream closing is deliberately not reported:
   * vscode-jsonrpc would mark the connection closed and `sendNotification` would start throwing
   * synchronously in the middle of teardown. Writes reject instead; a dead client also shows up
   * as input EOF.
   */
  constructor(
    private readonly stream: Writable,
    private readonly onError: (error: Error) => void,
  ) {
    this.cork = new TickCork(stream);
    stream.on('error', this.failed);
  }

  /** Frames `json` (already known to be `bytes` UTF-8 bytes); settles when the stream took it. */
  write(json: string, bytes: number): Promise<void> {
    if (this.state.kind === 'failed') return Promise.reject(this.state.error);
    if (this.state.kind === 'disposed') return Promise.reject(new Error('The transport was disposed; the message was not written.'));
    const frame = encodeFrame(json, bytes);
    const written = new Promise<void>((resolve, reject) => {
      this.cork.write(frame, (error) => {
        if (error) {
          this.failed(error);
          reject(error);
        } else resolve();
      });
    });
    this.lastWrite = written.catch(() => {});
    return written;
  }

  /** Resolves once every write so far has settled; await it before `process.exit`. */
  flushed(): Promise<void> {
    return this.lastWrite;
  }

  end(): void {
    this.stream.end();
  }

  dispose(): void {
    this.state = { kind: 'disposed' };
    // The 'error' listener stays (now inert): an error emitted after dispose, say EPIPE from a
    // write still in the pipe, must not become an unhandled 'error' event that kills the host.
  }

  private readonly failed = (error: Error): void => {
    if (this.state.kind !== 'open') return;
    this.state = { kind: 'failed', error };
    this.onError(error);
  };
}

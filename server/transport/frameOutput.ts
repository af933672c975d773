/**
 * Writes framed messages to the output stream. The frames written in one turn leave as one
 * buffer in one write, or in writes of a pipe's capacity (TickFrames): a cell awaiting 2000 tool
 * calls at once then costs a few system calls and client wake-ups instead of 2000, and frames
 * never interleave. Stream errors
 * (EPIPE once the client is gone) are reported once and turn every later write into a rejection,
 * never into an unhandled 'error' event.
 */
import type { Writable } from 'node:stream';
import { TickFrames, type JsonText } from '../../schemas/framing.js';

type OutputState = { kind: 'open' } | { kind: 'failed'; error: Error } | { kind: 'disposed' };

export class FrameOutput {
  private state: OutputState = { kind: 'open' };
  private readonly frames: TickFrames;

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
    this.frames = new TickFrames(stream, this.failed);
    stream.on('error', this.failed);
  }

  /** Frames `json` (already known to be `bytes` UTF-8 bytes); settles when the stream took it. */
  write(json: JsonText, bytes: number): Promise<void> {
    if (this.state.kind === 'failed') return Promise.reject(this.state.error);
    if (this.state.kind === 'disposed') return Promise.reject(new Error('The transport was disposed; the message was not written.'));
    return this.frames.write(json, bytes);
  }

  /** Resolves once every write so far has settled; await it before `process.exit`. */
  flushed(): Promise<void> {
    return this.frames.idle();
  }

  end(): void {
    this.frames.flush();
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

/**
 * Writes framed messages to the host's stdin. The frames written in one turn leave as one buffer
 * in one write (TickFrames), so frames never interleave and need no lock. The client hands every
 * message already read to its dispatcher in one turn (FrameReader), so the delegate responses
 * they produce leave in one write. A stream error (EPIPE once the host died) is reported once;
 * every later write then fails at once, and a write nobody waits for fails silently, so no error
 * becomes an unhandled rejection or an unhandled 'error' event.
 */
import type { Writable } from 'node:stream';
import { TickFrames, type JsonText } from '../schemas/framing.js';
import { SpareBuffer } from '../schemas/spareBuffer.js';

export class FrameOutput {
  private failure: Error | undefined;
  private readonly frames: TickFrames;
  /** A delegate's large answer is encoded into the buffer of the one before. */
  private readonly spare: SpareBuffer | undefined;

  /**
   * `onError` fires once, on the first failure of the stream or of a write. `isPipe`: the stream
   * is done with what it was given once a write's callback runs (see TickFrames).
   */
  constructor(
    private readonly stream: Writable,
    private readonly onError: (error: Error) => void,
    isPipe: boolean,
  ) {
    this.spare = isPipe ? new SpareBuffer() : undefined;
    this.frames = new TickFrames(stream, this.failed, this.spare);
    stream.on('error', this.failed);
  }

  /** Frames `json`, which is `bytes` UTF-8 bytes; settles once the stream took the frame. */
  write(json: JsonText, bytes: number): Promise<void> {
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return this.frames.write(json, bytes);
  }

  /** Frames `json` without waiting for the stream; a failure only reaches `onError`. */
  post(json: JsonText, bytes: number): void {
    if (this.failure === undefined) void this.frames.write(json, bytes);
  }

  /** Writes the frames queued this turn now. */
  flush(): void {
    this.frames.flush();
  }

  /** Writes what is queued, then ends the stream. */
  end(): void {
    this.frames.flush();
    this.stream.end();
  }

  /** Frees the spare buffer; writes still in flight drop theirs. */
  dispose(): void {
    this.spare?.dispose();
  }

  private readonly failed = (error: Error): void => {
    if (this.failure !== undefined) return;
    this.failure = error;
    this.onError(error);
  };
}

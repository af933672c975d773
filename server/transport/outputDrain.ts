/**
 * Backpressure from the client: whether the host's output is draining. Work that produces output
 * for the client (a cell's output, a tool call's input) waits on `whenDrained` before producing
 * more, so a client that stops reading stops the cells instead of growing the host's buffers.
 */
import type { Writable } from 'node:stream';

/** Bytes the output stream may hold unwritten before producers wait. */
export const OUTPUT_HIGH_WATER_BYTES = 1 << 20;

/** Resolves at once while the stream holds less than the high-water mark, else on its next 'drain' (or close). */
export function outputDrain(stream: Writable, highWaterBytes = OUTPUT_HIGH_WATER_BYTES): () => Promise<void> {
  let waiting: Promise<void> | null = null;
  return () => {
    if (stream.writableLength < highWaterBytes || stream.destroyed) return Promise.resolve();
    waiting ??= new Promise<void>((resolve) => {
      const done = () => {
        stream.off('drain', done);
        stream.off('close', done);
        waiting = null;
        resolve();
      };
      stream.on('drain', done);
      stream.on('close', done);
    });
    return waiting;
  };
}

/**
 * Routes a session's streamed cell output to the MCP request observing that cell, as progress
 * notifications. Output can arrive before the execute that started the cell has learned its id;
 * it is held under the cell's id until that execute claims it, or the cell closes. Nothing is
 * held while no such execute is in flight, so a cell nobody observes holds no memory here.
 */
import type { ContentItem } from '../../schemas/index.js';

export type ProgressSink = (items: readonly ContentItem[]) => void;

export class CellProgress {
  private readonly sinks = new Map<string, ProgressSink>();
  private readonly early = new Map<string, ContentItem[]>();
  private starting = 0;

  /** An execute that will claim its cell is in flight until the returned function is called. */
  starts(): () => void {
    this.starting++;
    let done = false;
    return () => {
      if (!done) this.starting--;
      done = true;
    };
  }

  /** Output of a cell, from the client's `cellOutput` hook. */
  output(cellId: string, items: readonly ContentItem[]): void {
    const sink = this.sinks.get(cellId);
    if (sink !== undefined) sink(items);
    else if (this.starting > 0) this.early.set(cellId, [...(this.early.get(cellId) ?? []), ...items]);
  }

  /** Sends the cell's output to `sink` (what arrived before first) until the returned release is called. */
  claim(cellId: string, sink: ProgressSink): () => void {
    const held = this.early.get(cellId);
    this.early.delete(cellId);
    this.sinks.set(cellId, sink);
    if (held !== undefined && held.length > 0) sink(held);
    return () => {
      if (this.sinks.get(cellId) === sink) this.sinks.delete(cellId);
    };
  }

  /** Drops what is held for a cell nobody claimed; its output reaches the next observation anyway. */
  forget(cellId: string): void {
    this.early.delete(cellId);
  }

  closed(cellId: string): void {
    this.early.delete(cellId);
    this.sinks.delete(cellId);
  }
}

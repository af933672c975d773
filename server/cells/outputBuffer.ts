/**
 * Output a cell produced since its last observation, bounded by the session's maxOutputBytes.
 * Past the bound, items are dropped whole and counted; the next drain ends with one marker item
 * so the reader knows output was lost and how much.
 */
import type { ContentItem } from '../../schemas/index.js';
import { ITEM_OVERHEAD_BYTES } from '../sandbox/bootstrap.js';

function itemBytes(item: ContentItem): number {
  return item.type === 'text' ? Buffer.byteLength(item.text) : Buffer.byteLength(item.imageUrl);
}

export class OutputBuffer {
  private items: ContentItem[] = [];
  private bytes = 0;
  private droppedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends what fits; returns the items actually kept (for streaming). */
  push(items: readonly ContentItem[], droppedUpstream: number): ContentItem[] {
    this.droppedBytes += droppedUpstream;
    const kept: ContentItem[] = [];
    for (const item of items) {
      const size = itemBytes(item);
      // Bounded by count too, or a flood of empty items would grow without bound.
      if (this.bytes + size > this.maxBytes || this.items.length * ITEM_OVERHEAD_BYTES >= this.maxBytes) {
        this.droppedBytes += size;
        continue;
      }
      this.bytes += size;
      this.items.push(item);
      kept.push(item);
    }
    return kept;
  }

  /** Everything buffered since the previous drain, plus the loss marker if anything was dropped. */
  drain(): ContentItem[] {
    const drained = this.items;
    if (this.droppedBytes > 0) drained.push({ type: 'text', text: `[output truncated: ${this.droppedBytes} bytes dropped]` });
    this.items = [];
    this.bytes = 0;
    this.droppedBytes = 0;
    return drained;
  }
}

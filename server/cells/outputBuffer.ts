/**
 * Output a cell produced since its last observation, bounded by the session's maxOutputBytes as
 * the items' text and URLs will be sent (escaped: a control character is six bytes). Every item
 * is checked on the way in (outputItems.ts); a refused one is replaced by a text item saying why.
 * Past the bound, items are dropped whole and counted; the next drain ends with one marker item
 * so the reader knows output was lost and how much.
 */
import type { ContentItem } from '../../schemas/index.js';
import { ITEM_OVERHEAD_BYTES } from '../sandbox/bootstrap.js';
import { checkItem, itemBytes } from './outputItems.js';

export interface Drained {
  items: ContentItem[];
  /** The items' whole JSON size in a response, the marker included. */
  jsonBytes: number;
}

export class OutputBuffer {
  private items: ContentItem[] = [];
  private bytes = 0;
  private jsonBytes = 0;
  private droppedBytes = 0;

  constructor(private readonly maxBytes: number) {}

  /** Appends what is valid and fits; returns the items actually kept (for streaming). */
  push(items: readonly unknown[], droppedUpstream: number): ContentItem[] {
    this.droppedBytes += droppedUpstream;
    const kept: ContentItem[] = [];
    for (const value of items) {
      const checked = checkItem(value);
      const item: ContentItem = checked.ok ? checked.item : { type: 'text', text: `[output item refused: ${checked.reason}]` };
      const size = itemBytes(item);
      // Bounded by count too, or a flood of empty items would grow without bound.
      if (this.bytes + size.payload > this.maxBytes || this.items.length * ITEM_OVERHEAD_BYTES >= this.maxBytes) {
        this.droppedBytes += size.payload;
        continue;
      }
      this.bytes += size.payload;
      this.jsonBytes += size.json;
      this.items.push(item);
      kept.push(item);
    }
    return kept;
  }

  /** What `drain` would return, leaving it buffered. */
  peek(): Drained {
    if (this.droppedBytes === 0) return { items: this.items, jsonBytes: this.jsonBytes };
    const marker: ContentItem = { type: 'text', text: `[output truncated: ${this.droppedBytes} bytes dropped]` };
    return { items: [...this.items, marker], jsonBytes: this.jsonBytes + itemBytes(marker).json };
  }

  /** Everything buffered since the previous drain, plus the loss marker if anything was dropped. */
  drain(): Drained {
    const drained = this.peek();
    this.items = [];
    this.bytes = 0;
    this.jsonBytes = 0;
    this.droppedBytes = 0;
    return drained;
  }
}

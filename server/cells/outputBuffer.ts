/**
 * Output a cell produced since its last observation, bounded by the session's maxOutputBytes as
 * the items' text and URLs will be sent (escaped: a control character is six bytes). Every item
 * is checked on the way in (outputItems.ts); a refused one is replaced by a text item saying why.
 * Past the bound, items are dropped whole and counted; the next drain ends with one marker item
 * so the reader knows output was lost and how much.
 *
 * Output handed to a response whose sending is not decided yet is lent: it still counts against
 * the bound until it is sent, or comes back before whatever was pushed since when it is not.
 */
import type { ContentItem } from '../../schemas/index.js';
import { ITEM_OVERHEAD_BYTES } from '../sandbox/bootstrap.js';
import { checkItem, itemBytes } from './outputItems.js';

export interface Drained {
  items: ContentItem[];
  /** The items' whole JSON size in a response, the marker included. */
  jsonBytes: number;
}

interface Contents {
  items: ContentItem[];
  /** The items' payload, as maxOutputBytes counts it. */
  bytes: number;
  jsonBytes: number;
  droppedBytes: number;
}

type Loan = { kind: 'none' } | { kind: 'lent'; contents: Contents };

const empty = (): Contents => ({ items: [], bytes: 0, jsonBytes: 0, droppedBytes: 0 });

export class OutputBuffer {
  private contents = empty();
  private loan: Loan = { kind: 'none' };

  constructor(private readonly maxBytes: number) {}

  /** Appends what is valid and fits; returns the items actually kept (for streaming). */
  push(items: readonly unknown[], droppedUpstream: number): ContentItem[] {
    const contents = this.contents;
    const lent = this.loan.kind === 'lent' ? this.loan.contents : undefined;
    const lentBytes = lent?.bytes ?? 0;
    const lentCount = lent?.items.length ?? 0;
    contents.droppedBytes += droppedUpstream;
    const kept: ContentItem[] = [];
    for (const value of items) {
      const checked = checkItem(value);
      const item: ContentItem = checked.ok ? checked.item : { type: 'text', text: `[output item refused: ${checked.reason}]` };
      const size = itemBytes(item);
      // Bounded by count too, or a flood of empty items would grow without bound.
      if (lentBytes + contents.bytes + size.payload > this.maxBytes || (lentCount + contents.items.length) * ITEM_OVERHEAD_BYTES >= this.maxBytes) {
        contents.droppedBytes += size.payload;
        continue;
      }
      contents.bytes += size.payload;
      contents.jsonBytes += size.json;
      contents.items.push(item);
      kept.push(item);
    }
    return kept;
  }

  /** What `drain` would return, leaving it buffered. */
  peek(): Drained {
    const { items, jsonBytes, droppedBytes } = this.contents;
    if (droppedBytes === 0) return { items, jsonBytes };
    const marker: ContentItem = { type: 'text', text: `[output truncated: ${droppedBytes} bytes dropped]` };
    return { items: [...items, marker], jsonBytes: jsonBytes + itemBytes(marker).json };
  }

  /** Everything buffered since the previous drain, plus the loss marker if anything was dropped. */
  drain(): Drained {
    const drained = this.peek();
    this.contents = empty();
    return drained;
  }

  /** As `drain`, but only lent until `loanSent` or `loanRefused`; one loan at a time. */
  lend(): Drained {
    if (this.loan.kind === 'lent') throw new Error('output lent while a loan is out');
    const drained = this.peek();
    this.loan = { kind: 'lent', contents: this.contents };
    this.contents = empty();
    return drained;
  }

  /** The lent output left the host: it no longer counts. */
  loanSent(): void {
    this.loan = { kind: 'none' };
  }

  /** The lent output did not leave the host: it is buffered again, before what came since. */
  loanRefused(): void {
    if (this.loan.kind !== 'lent') return;
    const lent = this.loan.contents;
    const since = this.contents;
    this.loan = { kind: 'none' };
    this.contents = {
      items: [...lent.items, ...since.items],
      bytes: lent.bytes + since.bytes,
      jsonBytes: lent.jsonBytes + since.jsonBytes,
      droppedBytes: lent.droppedBytes + since.droppedBytes,
    };
  }
}

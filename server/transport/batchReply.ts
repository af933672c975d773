/**
 * The pending answer to one batch (JSON-RPC 2.0 section 6): one slot per element that gets a
 * response, in element order, written as one array once every slot is filled, within
 * maxMessageBytes.
 *
 * A response that hands something over (a cell's result or output, server/handover.ts) is ruled
 * on as it arrives, so its cell knows at once whether to take it back: it is kept, and never
 * replaced later, when it fits beside the responses kept so far and the least every other slot can
 * shrink to (the longest -32031 that may replace it, or itself when smaller); otherwise a -32031
 * naming the cell replaces it. So the handovers that arrive first are the ones sent. When the array
 * is complete, the other responses are replaced by -32031 errors, largest first, until it fits;
 * once a handover was kept, the array always fits.
 */
import type { Handover } from '../handover.js';
import type { Logger } from '../log.js';
import { transportError, type JsonRpcId } from './errorResponses.js';
import { serialize, type Serialized } from './serialized.js';

type Slot =
  | { kind: 'awaited'; id: JsonRpcId }
  // May be replaced by a -32031 error when the array is too large.
  | { kind: 'replaceable'; entry: Serialized }
  // Written as it is: a kept handover, or the error that refused one (it names the cell).
  | { kind: 'fixed'; entry: Serialized };

type BatchState =
  // Elements are still being admitted: every slot is reserved before any element is dispatched.
  | { kind: 'admitting' }
  | { kind: 'sealed' }
  | { kind: 'written' };

export interface BatchReplyOptions {
  maxMessageBytes: number;
  logger: Logger;
  /** Writes the complete array (over maxMessageBytes only when even its errors are). */
  write(entries: Serialized[], reply: BatchReply): void;
}

/** The longest cell id a -32031 may name: cells are numbered with safe integers. */
const LONGEST_CELL_ID = String(Number.MAX_SAFE_INTEGER);

export class BatchReply {
  private readonly slots: Slot[] = [];
  private missing = 0;
  private state: BatchState = { kind: 'admitting' };
  /** The size of the longest -32031 replacement less its id, computed when a handover is first ruled on. */
  private replacementBase: number | undefined;
  /** Ids of the batch's admitted requests, released from the in-flight set when written. */
  readonly requestIds: JsonRpcId[] = [];

  constructor(private readonly options: BatchReplyOptions) {}

  /** Reserves the slot a forwarded request's response will fill. */
  reserve(id: JsonRpcId): number {
    this.requestIds.push(id);
    this.missing++;
    return this.slots.push({ kind: 'awaited', id }) - 1;
  }

  /** Adds a response known at once (an error about the element itself). */
  add(entry: Serialized): void {
    this.slots.push({ kind: 'replaceable', entry });
  }

  fill(slot: number, entry: Serialized, handover: Handover | undefined): void {
    if (handover === undefined) this.slots[slot] = { kind: 'replaceable', entry };
    else this.rule(slot, entry, handover);
    this.missing--;
    this.writeIfComplete();
  }

  /** No more elements; a batch without any slot (notifications only) writes nothing. */
  seal(): void {
    this.state = { kind: 'sealed' };
    this.writeIfComplete();
  }

  private rule(slot: number, entry: Serialized, handover: Handover): void {
    const { maxMessageBytes } = this.options;
    const least = this.slots.reduce((sum, other, index) => (index === slot ? sum : sum + this.leastBytes(other) + 1), 1) + entry.bytes + 1;
    if (least <= maxMessageBytes) {
      this.slots[slot] = { kind: 'fixed', entry };
      handover.sent();
      return;
    }
    this.options.logger.warn(`A batch response would be at least ${least} bytes, over maxMessageBytes (${maxMessageBytes}); the ${handover.what} of cell ${handover.cellId} was not sent and stays with the cell.`);
    const id = entry.id as JsonRpcId; // a slot answers a request, which has an id
    this.slots[slot] = { kind: 'fixed', entry: serialize(transportError.handoverOutOfBatch(id, handover, entry.bytes, least, maxMessageBytes)) };
    handover.refused();
  }

  /** What a slot can shrink to: the longest error that may replace its response, or the response when smaller. */
  private leastBytes(slot: Slot): number {
    switch (slot.kind) {
      case 'awaited':
        return this.longestReplacement(slot.id);
      case 'replaceable':
        return Math.min(slot.entry.bytes, this.longestReplacement(slot.entry.id));
      case 'fixed':
        return slot.entry.bytes;
    }
  }

  /** An upper bound of every -32031 that may stand in for a response with this id: only the id's JSON varies. */
  private longestReplacement(id: JsonRpcId | null): number {
    if (this.replacementBase === undefined) {
      const { maxMessageBytes } = this.options;
      const size = Number.MAX_SAFE_INTEGER;
      const forms = [
        transportError.batchTooLarge(0, size, size, maxMessageBytes),
        transportError.handoverOutOfBatch(0, { cellId: LONGEST_CELL_ID, what: 'result' }, size, size, maxMessageBytes),
        transportError.handoverOutOfBatch(0, { cellId: LONGEST_CELL_ID, what: 'output' }, size, size, maxMessageBytes),
      ];
      this.replacementBase = Math.max(...forms.map((form) => serialize(form).bytes)) - '0'.length;
    }
    return this.replacementBase + Buffer.byteLength(JSON.stringify(id));
  }

  private writeIfComplete(): void {
    if (this.state.kind !== 'sealed' || this.missing > 0) return;
    this.state = { kind: 'written' };
    if (this.slots.length > 0) this.options.write(this.shrunk(), this);
  }

  /** The entries, with the largest replaceable ones turned into -32031 errors until the array fits. */
  private shrunk(): Serialized[] {
    const { maxMessageBytes } = this.options;
    // Every slot is filled by now, so entries and slots share their indices.
    const entries = this.slots.flatMap((slot) => (slot.kind === 'awaited' ? [] : [slot.entry]));
    const total = arrayBytes(entries);
    if (total <= maxMessageBytes) return entries;
    let bytes = total;
    const replaceable = this.slots.flatMap((slot, index) => (slot.kind === 'replaceable' ? [{ entry: slot.entry, index }] : []));
    for (const { entry, index } of replaceable.sort((a, b) => b.entry.bytes - a.entry.bytes)) {
      if (bytes <= maxMessageBytes) break;
      const replacement = serialize(transportError.batchTooLarge(entry.id, entry.bytes, total, maxMessageBytes));
      if (replacement.bytes >= entry.bytes) continue;
      entries[index] = replacement;
      bytes -= entry.bytes - replacement.bytes;
    }
    this.options.logger.warn(`A batch response of ${total} bytes exceeds maxMessageBytes (${maxMessageBytes}); its largest responses were replaced by -32031 errors.`);
    return entries;
  }
}

/** The size of the JSON array of `entries`: brackets and commas included. */
export const arrayBytes = (entries: Serialized[]) => entries.reduce((sum, entry) => sum + entry.bytes + 1, 1);

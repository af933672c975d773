/**
 * The pending answer to one batch (JSON-RPC 2.0 section 6): one slot per element that gets a
 * response, in element order, written as one array once every slot is filled.
 */
import type { JsonRpcId } from './errorResponses.js';
import type { Serialized } from './serialized.js';

type BatchState =
  // Elements are still being admitted; responses may fill slots but nothing is written yet.
  | { kind: 'filling' }
  | { kind: 'sealed' }
  | { kind: 'written' };

export class BatchReply {
  private readonly slots: (Serialized | undefined)[] = [];
  private missing = 0;
  private state: BatchState = { kind: 'filling' };
  /** Ids of the batch's admitted requests, released from the in-flight set when written. */
  readonly requestIds: JsonRpcId[] = [];

  constructor(private readonly write: (entries: Serialized[], reply: BatchReply) => void) {}

  /** Reserves the slot a forwarded request's response will fill. */
  reserve(id: JsonRpcId): number {
    this.requestIds.push(id);
    this.missing++;
    return this.slots.push(undefined) - 1;
  }

  /** Adds a response known at once (an error about the element itself). */
  add(entry: Serialized): void {
    this.slots.push(entry);
  }

  fill(slot: number, entry: Serialized): void {
    this.slots[slot] = entry;
    this.missing--;
    this.writeIfComplete();
  }

  /** No more elements; a batch without any slot (notifications only) writes nothing. */
  seal(): void {
    this.state = { kind: 'sealed' };
    this.writeIfComplete();
  }

  private writeIfComplete(): void {
    if (this.state.kind !== 'sealed' || this.missing > 0) return;
    this.state = { kind: 'written' };
    if (this.slots.length > 0) this.write(this.slots as Serialized[], this);
  }
}

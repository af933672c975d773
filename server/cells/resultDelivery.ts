/**
 * Where a settled cell's final result is. Each response that carries it hands it out with a
 * Handover (server/handover.ts); the result is sent when the writer sends one of them, and pending
 * again, back in its session's table, when the writer refuses every one.
 */
import type { Handover } from '../handover.js';

type State =
  // With the cell, in its session's table: the next wait or terminate collects it.
  | { kind: 'pending' }
  // In responses the writer has not refused.
  | { kind: 'handedOut'; responses: number }
  // Sent, or dropped unsent with its session (or by an execute cancelled before the cell started).
  | { kind: 'taken' };

/** The cell's place in its session's table. */
export interface CellTable {
  /** The cell leaves the table: its result is out. */
  onCollected(): void;
  /** The cell is back in the table: every response that carried its result was refused. */
  onReturned(): void;
}

export class ResultDelivery {
  private state: State = { kind: 'pending' };

  constructor(
    private readonly cellId: string,
    private readonly table: CellTable,
  ) {}

  get pending(): boolean {
    return this.state.kind === 'pending';
  }

  /** The handover of one more response that carries the result. */
  handOut(): Handover {
    if (this.state.kind === 'pending') {
      this.state = { kind: 'handedOut', responses: 1 };
      this.table.onCollected();
    } else if (this.state.kind === 'handedOut') {
      this.state = { kind: 'handedOut', responses: this.state.responses + 1 };
    }
    return { cellId: this.cellId, what: 'result', sent: () => this.ruled('sent'), refused: () => this.ruled('refused') };
  }

  /** Nobody will collect the result: it is dropped unsent. */
  drop(): void {
    if (this.state.kind === 'pending') this.table.onCollected();
    this.state = { kind: 'taken' };
  }

  private ruled(verdict: 'sent' | 'refused'): void {
    if (this.state.kind !== 'handedOut') return;
    const left = this.state.responses - 1;
    if (verdict === 'sent') this.state = { kind: 'taken' };
    else if (left > 0) this.state = { kind: 'handedOut', responses: left };
    else {
      this.state = { kind: 'pending' };
      this.table.onReturned();
    }
  }
}

/**
 * Output lent to a yielded response the writer has not ruled on yet (server/handover.ts). Until it
 * does, in the turn that produced the response, the cell neither settles nor ends another
 * observation: they wait here, so output that comes back keeps its place before what came after.
 */
import type { Handover } from '../handover.js';
import type { OutputBuffer } from './outputBuffer.js';

type State = { kind: 'none' } | { kind: 'lent'; waiting: (() => void)[] };

export class OutputLoans {
  private state: State = { kind: 'none' };

  constructor(
    private readonly cellId: string,
    private readonly output: OutputBuffer,
    /** Runs an action once the responses of this turn are written (CellHost.afterResponses). */
    private readonly afterResponses: (action: () => void) => void,
  ) {}

  /** Runs `action` now, or once the loan out has been ruled on. */
  after(action: () => void): void {
    if (this.state.kind === 'lent') this.state.waiting.push(action);
    else action();
  }

  /** Lends everything buffered (call it with no loan out); the handover is for the response that carries it. */
  lend(): Handover {
    this.output.lend();
    const loan: State = { kind: 'lent', waiting: [] };
    this.state = loan;
    const ruled = (verdict: 'sent' | 'refused') => {
      if (this.state !== loan) return;
      this.state = { kind: 'none' };
      if (verdict === 'sent') this.output.loanSent();
      else this.output.loanRefused();
      loan.waiting.forEach((action) => action());
    };
    // A response that never reaches the writer is never ruled on: it counts as sent after the turn.
    this.afterResponses(() => ruled('sent'));
    return { cellId: this.cellId, what: 'output', sent: () => ruled('sent'), refused: () => ruled('refused') };
  }
}

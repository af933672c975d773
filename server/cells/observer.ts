/**
 * One observation window of a cell: the execute that started it or one wait. It ends exactly
 * once: by its timer, a yield, the cell's end, or `$/cancelRequest` from the client.
 */
import type { CancellationToken, Disposable } from 'vscode-jsonrpc/node';
import type { CellResponse } from '../../schemas/index.js';

export type ObserverKind = 'execute' | 'wait';

export class Observer {
  private timer: NodeJS.Timeout | undefined;
  private cancellation: Disposable | undefined;
  private done = false;
  readonly response: Promise<CellResponse>;
  private resolveResponse!: (response: CellResponse) => void;
  private rejectResponse!: (error: unknown) => void;

  constructor(
    readonly kind: ObserverKind,
    readonly receivedAt: number,
    readonly maxOutputTokens: number | undefined,
  ) {
    this.response = new Promise<CellResponse>((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
  }

  /** Calls `onExpire` after `ms`, unless the window ended first. */
  startTimer(ms: number, onExpire: () => void): void {
    if (this.done) return;
    this.timer = setTimeout(onExpire, ms);
  }

  onCancel(token: CancellationToken, onCancel: () => void): void {
    if (token.isCancellationRequested) {
      onCancel();
      return;
    }
    this.cancellation = token.onCancellationRequested(onCancel);
  }

  resolve(response: CellResponse): void {
    if (this.finish()) this.resolveResponse(response);
  }

  reject(error: unknown): void {
    if (this.finish()) this.rejectResponse(error);
  }

  private finish(): boolean {
    if (this.done) return false;
    this.done = true;
    clearTimeout(this.timer);
    this.cancellation?.dispose();
    return true;
  }
}

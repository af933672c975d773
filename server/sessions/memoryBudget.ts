/**
 * maxHostMemoryBytes: one budget for what the host process holds on behalf of cells — committed
 * session stores, store writes of running cells, and tool call inputs in flight. A store or tool
 * call that would pass it fails with an error naming the limit; the host itself stays within it.
 */
export class MemoryBudget {
  private used = 0;

  constructor(readonly limit: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Takes `bytes` if they fit; false (nothing taken) otherwise. */
  tryReserve(bytes: number): boolean {
    if (this.used + bytes > this.limit) return false;
    this.used += bytes;
    return true;
  }

  /** Moves `bytes` (may be negative) without a check: for commits of bytes already reserved. */
  adjust(bytes: number): void {
    this.used = Math.max(0, this.used + bytes);
  }

  release(bytes: number): void {
    this.adjust(-bytes);
  }

  refusal(what: string, bytes: number): string {
    return `${what} needs ${bytes} bytes more than the host has left under its maxHostMemoryBytes of ${this.limit} (stores, store writes and tool inputs of every session); use less or start the host with a larger --max-host-memory-bytes`;
  }
}

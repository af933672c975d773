import type { MemoryBudget } from './memoryBudget.js';

/**
 * A session's key-value store of JSON texts. A cell reads a snapshot taken when it starts and
 * writes into its own view; the view is committed when the cell completes (also when it fails)
 * and dropped when it is terminated. The committed map is replaced, never mutated, so a
 * snapshot costs nothing.
 */
export class SessionStore {
  private committed: ReadonlyMap<string, string> = new Map();
  private committedBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly memory: MemoryBudget,
  ) {}

  snapshot(): StoreView {
    return new StoreView(this.committed, this.committedBytes, this.maxBytes, this.memory);
  }

  /** The session is gone: its committed bytes leave the host budget. */
  dispose(): void {
    this.memory.release(this.committedBytes);
    this.committed = new Map();
    this.committedBytes = 0;
  }

  /**
   * Last writer wins per key. A view checked its writes against the snapshot it started from;
   * concurrent cells may each fit and together not, so the whole commit is checked again and
   * refused (nothing written) when it would pass maxStoredBytes. Returns that refusal, or null.
   */
  commit(view: StoreView): string | null {
    if (view.writes.size === 0) return null;
    const next = new Map(this.committed);
    let bytes = this.committedBytes;
    for (const [key, json] of view.writes) {
      const previous = next.get(key);
      if (previous !== undefined) bytes -= entryBytes(key, previous);
      next.set(key, json);
      bytes += entryBytes(key, json);
    }
    if (bytes > this.maxBytes) {
      return `the cell's store writes were not committed: with those of cells that finished first the session store would hold ${bytes} bytes, over its maxStoredBytes of ${this.maxBytes}`;
    }
    this.memory.adjust(bytes - this.committedBytes);
    this.committed = next;
    this.committedBytes = bytes;
    return null;
  }
}

export class StoreView {
  readonly writes = new Map<string, string>();
  /** Bytes of `writes` held against the host's memory budget until the view commits or is dropped. */
  private reserved = 0;

  constructor(
    private readonly base: ReadonlyMap<string, string>,
    private bytes: number,
    private readonly maxBytes: number,
    private readonly memory: MemoryBudget,
  ) {}

  /** The cell settled: what its writes held is released (a commit has counted them by then). */
  release(): void {
    this.memory.release(this.reserved);
    this.reserved = 0;
  }

  load(key: string): string | undefined {
    return this.writes.get(key) ?? this.base.get(key);
  }

  /** Returns the message to throw in the cell, or null when stored. */
  store(key: string, json: string): string | null {
    const previous = this.load(key);
    const next = this.bytes - (previous === undefined ? 0 : entryBytes(key, previous)) + entryBytes(key, json);
    if (next > this.maxBytes) {
      return `store("${key}") would grow the session store to ${next} bytes, over its maxStoredBytes of ${this.maxBytes}; store less or open the session with a larger limit`;
    }
    const size = entryBytes(key, json);
    if (!this.memory.tryReserve(size)) return this.memory.refusal(`store("${key}")`, size);
    this.reserved += size;
    this.bytes = next;
    this.writes.set(key, json);
    return null;
  }
}

function entryBytes(key: string, json: string): number {
  return Buffer.byteLength(key) + Buffer.byteLength(json);
}

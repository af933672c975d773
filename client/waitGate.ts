import type { CallScope } from './cancellation.js';

/**
 * Holds back a wait on a cell while an earlier, cancelled wait on it is still unanswered. The
 * host detaches a cancelled observer only when it answers the cancelled request; a new wait sent
 * before that would get CellBusy because of the client's own cancellation.
 * Entries live only until the cancelled wait is answered.
 */
export class WaitGate {
  private readonly retiring = new Map<string, Promise<void>>();

  /** Resolves once no cancelled wait on `key` is outstanding; rejects if `scope` aborts first. */
  async clear(key: string, scope: CallScope): Promise<void> {
    let pending: Promise<void> | undefined;
    while ((pending = this.retiring.get(key)) !== undefined) await scope.race(pending);
  }

  /** Records a cancelled wait on `key`, outstanding until `answered` settles. */
  retire(key: string, answered: Promise<unknown>): void {
    const settled = answered.then(
      () => undefined,
      () => undefined,
    );
    this.retiring.set(key, settled);
    void settled.then(() => {
      if (this.retiring.get(key) === settled) this.retiring.delete(key);
    });
  }
}

/**
 * The session side of a persistent session: its realm, the one cell that may run in it, and the
 * honest report of every reset (a `session/reset` before the cell's final response, and an error
 * that says the variables are gone).
 */
import type { ResetReason, SessionResetParams } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import type { CellExit, CellStarter, Realm } from '../sandbox/api.js';

export interface PersistentRealmEnv {
  /** Sends `session/reset`. */
  sessionReset(params: SessionResetParams): void;
}

export class PersistentRealm {
  /** The cell whose runtime is still alive, if any. */
  private running: { cellId: string; live: () => boolean } | undefined;

  constructor(
    private readonly sessionId: string,
    private readonly realm: Realm,
    private readonly env: PersistentRealmEnv,
  ) {}

  /** Throws SessionBusy while a cell of the session still runs. */
  admit(): void {
    if (this.running !== undefined && this.running.live()) throw hostError.sessionBusy(this.sessionId, this.running.cellId);
  }

  /** The starter for cell `cellId`, which is the realm's running cell from now on. */
  starterFor(cellId: string, live: () => boolean): CellStarter {
    this.running = { cellId, live };
    return {
      start: async (program, events) => {
        const run = await this.realm.start(program, events);
        return { terminate: () => run.terminate(), done: run.done.then((exit) => this.reported(cellId, exit)) };
      },
    };
  }

  dispose(): void {
    this.realm.dispose();
  }

  private reported(cellId: string, exit: CellExit): CellExit {
    // The realm died with its sandbox process before this cell: reported with this cell, and its
    // error (if it has one, likely a variable not found) says why the variables are gone.
    if (exit.lostBefore === true) {
      this.env.sessionReset({ sessionId: this.sessionId, cellId, reason: 'crashed' });
      if (exit.kind !== 'terminated' && exit.error !== null) exit = { ...exit, error: `${exit.error}\n${lostText(this.sessionId, 'crashed')}` };
    }
    if (exit.reset === undefined) return exit;
    this.env.sessionReset({ sessionId: this.sessionId, cellId, reason: exit.reset });
    const lost = lostText(this.sessionId, exit.reset);
    if (exit.kind === 'terminated') return { ...exit, error: lost };
    return { ...exit, error: exit.error === null ? lost : `${exit.error}\n${lost}` };
  }
}

const WHY: Record<ResetReason, string> = {
  terminated: 'the cell was terminated while its code ran',
  cpuTimeLimit: 'the cell exceeded its CPU time limit',
  wallTimeLimit: 'the cell exceeded its wall time limit',
  heapLimit: "the session's heap limit was exhausted",
  crashed: 'the sandbox failed or its process exited',
};

function lostText(sessionId: string, reason: ResetReason): string {
  return (
    `Session ${sessionId} was reset (${reason}: ${WHY[reason]}): its variables were lost. ` +
    'The next cell starts in a fresh realm; the store (load) is kept.'
  );
}

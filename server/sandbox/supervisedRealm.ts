/**
 * The host's handle on a persistent session's realm, which lives in the session's sandbox process
 * (processMain.ts holds it, realm/realm.ts is the realm itself). It opens the realm in the process
 * its session is pinned to on the first cell, and again after that process died.
 *
 * A process death ends the realm with it. A cell running then ends `lost` and is reported as a
 * reset `crashed`. A realm that held variables but had no cell running is found gone by the
 * session's next cell, which runs in a fresh realm and carries `lostBefore`, so that the session
 * is told before that cell's response (the protocol reports resets with a cell).
 */
import type { CellEvents, CellExit, CellProgram, CellRun, Realm } from './api.js';
import type { RealmId } from './messages.js';
import type { SandboxProcess } from './sandboxProcess.js';

/** What the realm needs of the supervisor. */
export interface RealmPlacement {
  /** The process the session is pinned to (a new pin when its process died). */
  processFor(sessionId: string): Promise<SandboxProcess>;
  /** Runs `start` in `process`, counted as one of its running cells. */
  run(process: SandboxProcess, start: () => Promise<CellRun>): Promise<CellRun>;
  /** The realm in `process` was disposed: the process may retire once idle. */
  released(process: SandboxProcess): void;
}

/**
 * - none: not open in any process (before the first cell; after a reset or a process death).
 *   `lost`: the realm that held the session's variables died with its process while idle.
 * - open: open in `process`; `holds` once a cell ended there without discarding it.
 * - disposed: the session is gone.
 */
type RealmState =
  | { kind: 'none'; lost: boolean }
  | { kind: 'open'; process: SandboxProcess; id: RealmId; holds: boolean }
  | { kind: 'disposed' };

export class SupervisedRealm implements Realm {
  private state: RealmState = { kind: 'none', lost: false };

  constructor(
    private readonly heapLimitMb: number,
    private readonly placement: RealmPlacement,
  ) {}

  async start(program: CellProgram, events: CellEvents): Promise<CellRun> {
    const process = await this.placement.processFor(program.sessionId);
    let state = this.state;
    if (state.kind === 'disposed') return ended({ kind: 'terminated' });
    if (state.kind === 'open' && (state.process !== process || !process.alive)) {
      // Its process died (it cannot be left otherwise: a process holding realms is not retired).
      state = { kind: 'none', lost: state.holds };
    }
    const lostBefore = state.kind === 'none' && state.lost;
    const open = state.kind === 'open' ? state : { kind: 'open' as const, process, id: process.openRealm(this.heapLimitMb), holds: false };
    this.state = open;
    const run = await this.placement.run(process, () => process.start(program, events, open.id));
    return { terminate: () => run.terminate(), done: run.done.then((exit) => this.ended(open, exit, lostBefore)) };
  }

  dispose(): void {
    const state = this.state;
    this.state = { kind: 'disposed' };
    if (state.kind !== 'open') return;
    state.process.disposeRealm(state.id);
    this.placement.released(state.process);
  }

  private ended(open: Extract<RealmState, { kind: 'open' }>, exit: CellExit, lostBefore: boolean): CellExit {
    const noted: CellExit = exit.kind === 'lost' ? { ...exit, reset: 'crashed' } : exit;
    if (this.state === open) {
      if (noted.reset === undefined) open.holds = true;
      else {
        // The sandbox process already dropped a discarded realm's isolate; the id stays open there.
        open.holds = false;
        if (exit.kind === 'lost') this.state = { kind: 'none', lost: false };
      }
    }
    return lostBefore ? { ...noted, lostBefore: true } : noted;
  }
}

function ended(exit: CellExit): CellRun {
  return { done: Promise.resolve(exit), terminate() {} };
}

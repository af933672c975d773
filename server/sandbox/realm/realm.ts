/**
 * A persistent session's realm: one prepared isolate kept across cells, running them one at a
 * time, in the sandbox process that owns it (the host reaches it through supervisor.ts). What keeps
 * or discards it is documented on Realm (api.ts).
 */
import type { CellEvents, CellExit, CellProgram, CellRun, Realm } from '../api.js';
import { endedRun, startCellRun, type CellRunDeps } from '../cellRun.js';
import { bodyErrorOf, compileWrapped, syntaxErrorOf, type Compiled } from '../compile.js';
import type { IsolatePool } from '../pool.js';
import type { PreparedIsolate } from '../prepared.js';
import { stripTypesBounded } from '../typescript.js';
import { transformPersistentCell } from './transform.js';
import { rejectDynamicImports } from '../dynamicImport.js';

/**
 * - empty: no isolate (before the first cell, and after a discard); the next cell takes one.
 * - idle: an isolate holding the session's variables, no cell running.
 * - busy: a cell is being started or runs in `prepared` (null while it is still being taken).
 * - disposed: the session is gone; a busy cell's isolate goes when that cell ends.
 */
type RealmState =
  | { kind: 'empty' }
  | { kind: 'idle'; prepared: PreparedIsolate }
  | { kind: 'busy'; prepared: PreparedIsolate | null }
  | { kind: 'disposed' };

export interface RealmDeps extends CellRunDeps {
  pool: IsolatePool;
}

export function createRealm(heapLimitMb: number, deps: RealmDeps): Realm {
  return new SandboxRealm(heapLimitMb, deps);
}

class SandboxRealm implements Realm {
  private state: RealmState = { kind: 'empty' };

  constructor(
    private readonly heapLimitMb: number,
    private readonly deps: RealmDeps,
  ) {}

  async start(program: CellProgram, events: CellEvents): Promise<CellRun> {
    const before = this.state;
    if (before.kind === 'busy') throw new Error('a cell is already running in this realm');
    if (before.kind === 'disposed') return endedRun({ kind: 'terminated' });
    this.state = { kind: 'busy', prepared: before.kind === 'idle' ? before.prepared : null };
    try {
      return await this.startIn(program, events, before.kind === 'idle' ? before.prepared : null);
    } catch (error) {
      this.discard();
      throw error;
    }
  }

  dispose(): void {
    const state = this.state;
    this.state = { kind: 'disposed' };
    if (state.kind === 'idle') state.prepared.isolate.dispose();
    // A busy cell's isolate is released when that cell ends (see settle).
  }

  private async startIn(program: CellProgram, events: CellEvents, kept: PreparedIsolate | null): Promise<CellRun> {
    let source = program.source;
    if (program.language === 'typescript') {
      const stripped = await stripTypesBounded(source, program.filename, program.limits.cpuTimeLimitMs);
      if (!stripped.ok) return this.keep(kept, { kind: 'completed', error: stripped.error });
      source = stripped.code;
    }
    let prepared = kept;
    if (prepared === null) {
      prepared = await this.deps.pool.take(this.heapLimitMb);
      this.deps.pool.refillSoon();
    }
    if (this.state.kind === 'disposed') {
      prepared.isolate.dispose();
      return endedRun({ kind: 'terminated' });
    }
    this.state = { kind: 'busy', prepared };
    const owned = prepared;
    // Compiled inside the run, after its limits are armed: a compile error keeps the realm (the
    // run ends without a reset), a limit hit while compiling discards it like any other.
    const run = await startCellRun(owned, program, () => compilePersistent(owned, source, program.filename), events, this.deps, true);
    return { done: run.done.then((exit) => this.settle(owned, exit)), terminate: () => run.terminate() };
  }

  /** A cell that ended before running leaves the realm as it was. */
  private keep(prepared: PreparedIsolate | null, exit: CellExit): CellRun {
    if (this.state.kind === 'disposed') prepared?.isolate.dispose();
    else this.state = prepared === null ? { kind: 'empty' } : { kind: 'idle', prepared };
    return endedRun(exit);
  }

  private settle(prepared: PreparedIsolate, exit: CellExit): CellExit {
    if (exit.reset !== undefined || this.state.kind === 'disposed') {
      if (!prepared.isolate.isDisposed) prepared.isolate.dispose();
      if (this.state.kind !== 'disposed') this.state = { kind: 'empty' };
    } else {
      this.state = { kind: 'idle', prepared };
    }
    return exit;
  }

  private discard(): void {
    const state = this.state;
    if (state.kind === 'busy' && state.prepared !== null && !state.prepared.isolate.isDisposed) state.prepared.isolate.dispose();
    if (state.kind !== 'disposed') this.state = { kind: 'empty' };
  }
}

/**
 * Two independent guards before anything of the cell runs: the source must be a function body
 * (checked in the isolate, as for every cell), and the transformed script must be exactly one
 * function expression (transform.ts parses it again), so evaluating it only creates the function.
 */
async function compilePersistent(prepared: PreparedIsolate, source: string, filename: string): Promise<Compiled> {
  const bodyError = await bodyErrorOf(prepared, source, filename);
  const transformed = transformPersistentCell(rejectDynamicImports(source));
  if (!transformed.ok) return { ok: false, error: (await syntaxErrorOf(prepared.isolate, source, filename)) ?? transformed.error };
  if (bodyError !== null) return { ok: false, error: bodyError };
  return compileWrapped(prepared.context, transformed.script, filename);
}

/**
 * A persistent session's realm: one prepared isolate kept across cells, running them one at a
 * time. What keeps or discards it is documented on Realm (api.ts).
 */
import type { CellEvents, CellExit, CellProgram, CellRun, Realm } from '../api.js';
import { endedRun, runCompiled, type CellRunDeps } from '../cellRun.js';
import { compileWrapped, syntaxErrorOf } from '../compile.js';
import type { IsolatePool } from '../pool.js';
import type { PreparedIsolate } from '../prepared.js';
import { stripTypes } from '../typescript.js';
import { transformPersistentCell } from './transform.js';

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
      const stripped = await stripTypes(source, program.filename);
      if (!stripped.ok) return this.keep(kept, { kind: 'completed', error: stripped.error });
      source = stripped.code;
    }
    const transformed = transformPersistentCell(source);
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
    if (!transformed.ok) {
      const error = (await syntaxErrorOf(prepared.isolate, source, program.filename)) ?? transformed.error;
      return this.keep(prepared, { kind: 'completed', error });
    }
    const compiled = await compileWrapped(prepared.context, transformed.script, program.filename);
    if (!compiled.ok) return this.keep(prepared, { kind: 'completed', error: compiled.error });
    const run = runCompiled(prepared, program, compiled.body, events, this.deps, true);
    const owned = prepared;
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

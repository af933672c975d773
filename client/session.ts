import { ErrorCode, type CellResponse, type CellYieldResult, type EffectiveSessionLimits, type SessionLimits } from '../schemas/index.js';
import { withScope, type CallOptions, type CallScope } from './cancellation.js';
import { hostCellId, publicCellId } from './cellIds.js';
import { HostReplacedError, RpcError, SessionClosedError, StaleCellError } from './errors.js';
import type { HostConnection } from './hostConnection.js';
import type { HostManager } from './hostManager.js';
import type { BoundSession, CellClosedEvent, Delegate, ExecuteRequest, SessionResetEvent, WaitRequest } from './types.js';

/** A logical session bound to one host session on one connection. */
interface Binding {
  readonly connection: HostConnection;
  readonly hostSessionId: string;
  readonly generation: number;
  readonly limits: EffectiveSessionLimits;
}

/**
 * - new: never bound; the first call opens it (generation 1).
 * - opening: one open in flight, shared by every caller; `replacing` is the lost generation.
 * - open: bound; when its host turns out to be lost it becomes `lost`.
 * - lost: its host was lost; the next execute opens generation + 1 and fails with HOST_REPLACED. A
 *   wait, terminate or yield names a cell of the lost generation, so it fails with STALE_CELL and
 *   starts nothing (docs/client.md, guarantee 5).
 * - closing / closed: every call fails with SESSION_CLOSED.
 */
type SessionState =
  | { kind: 'new' }
  | { kind: 'opening'; open: Promise<Binding>; replacing: number | undefined }
  | { kind: 'open'; binding: Binding }
  | { kind: 'lost'; generation: number }
  | { kind: 'closing'; done: Promise<void> }
  | { kind: 'closed' };

/** How a call treats a lost binding: work (execute, open) rebinds; calls on a cell never do. */
type BindMode = { kind: 'work' } | { kind: 'control'; cellId: string };

export interface SessionInit {
  id: string;
  host: HostManager;
  delegate: Delegate;
  limits: SessionLimits | undefined;
  persistent: boolean;
  onSessionReset: ((event: SessionResetEvent) => void) | undefined;
  /** Called once the session is closed, so the client can forget it. */
  onClosed: () => void;
}

/**
 * A stable logical session. It survives host losses by rebinding to a fresh host session in a
 * new generation; work is never replayed. Cell ids it returns and takes are public ids (see
 * cellIds.ts).
 */
export class CodeModeSession {
  /** The session's id, stable across generations; also the `sessionId` its delegate sees. */
  readonly id: string;
  private state: SessionState = { kind: 'new' };
  private lastBinding: Binding | undefined;
  private liveCells = 0;
  private drainWaiters: (() => void)[] = [];

  /** @internal Sessions come from `CodeModeClient.openSession()`. */
  constructor(private readonly init: SessionInit) {
    this.id = init.id;
  }

  /** The current generation: 1 for the first host session, +1 per rebinding; 0 before the first. */
  get generation(): number {
    return this.lastBinding?.generation ?? 0;
  }

  /** Whether the session was opened persistent (one realm for all its cells). */
  get persistent(): boolean {
    return this.init.persistent;
  }

  /** The effective limits of the current host session, once bound. */
  get limits(): EffectiveSessionLimits | undefined {
    return this.lastBinding?.limits;
  }

  /** Runs a cell; returns its first observation. */
  execute(request: ExecuteRequest, options?: CallOptions): Promise<CellResponse> {
    return withScope(`execute in session ${this.id}`, options, async (scope) => {
      const binding = await this.bind(scope, { kind: 'work' });
      const response = await binding.connection.cells
        .execute({ ...request, sessionId: binding.hostSessionId }, scope)
        .catch((error: unknown) => Promise.reject(publicError(this.id, binding, error)));
      return publicResponse(binding, response);
    });
  }

  /** Observes a running cell again. */
  wait(cellId: string, request: WaitRequest = {}, options?: CallOptions): Promise<CellResponse> {
    return withScope(`wait on cell ${cellId}`, options, async (scope) => {
      const binding = await this.bind(scope, { kind: 'control', cellId });
      const params = { ...request, sessionId: binding.hostSessionId, cellId: hostIdOf(binding, cellId) };
      return publicResponse(binding, await binding.connection.cells.wait(params, scope));
    });
  }

  /** Stops a cell. Runs to completion on the host even when the caller stops waiting. */
  terminate(cellId: string, options?: CallOptions): Promise<CellResponse> {
    return withScope(`terminate of cell ${cellId}`, options, async (scope) => {
      const binding = await this.bind(scope, { kind: 'control', cellId });
      const response = binding.connection.cells.terminate(binding.hostSessionId, hostIdOf(binding, cellId));
      return publicResponse(binding, await scope.race(response));
    });
  }

  /** Ends the active observation of a cell now (`yielded`). */
  yield(cellId: string, options?: CallOptions): Promise<CellYieldResult> {
    return withScope(`yield of cell ${cellId}`, options, async (scope) => {
      const binding = await this.bind(scope, { kind: 'control', cellId });
      return scope.race(binding.connection.cells.yield(binding.hostSessionId, hostIdOf(binding, cellId)));
    });
  }

  /**
   * Closes the session: the host terminates its cells, and this resolves once every cell of every
   * generation was reported to `cellClosed`. Idempotent; runs to completion even when the caller
   * stops waiting.
   */
  close(options?: CallOptions): Promise<void> {
    return withScope(`close of session ${this.id}`, options, (scope) => scope.race(this.closeOnce()));
  }

  /** Opens the first host session (`openSession`); an abort leaves the open running and closes after it. */
  async open(scope: CallScope): Promise<void> {
    try {
      await this.bind(scope, { kind: 'work' });
    } catch (error) {
      if (error === scope.reason) void this.closeOnce();
      throw error;
    }
  }

  private closeOnce(): Promise<void> {
    const state = this.state;
    if (state.kind === 'closing') return state.done;
    if (state.kind === 'closed') return Promise.resolve();
    // The state turns `closing` before runClose starts, so runClose's own end state is never overwritten.
    let closed!: () => void;
    const done = new Promise<void>((resolve) => (closed = resolve));
    this.state = { kind: 'closing', done };
    void this.runClose(state).then(closed);
    return done;
  }

  /** Never rejects: a close always completes. */
  private async runClose(previous: SessionState): Promise<void> {
    let binding = previous.kind === 'open' ? previous.binding : undefined;
    if (previous.kind === 'opening') binding = await previous.open.catch(() => undefined);
    if (binding?.connection.isReady) await binding.connection.closeSession(binding.hostSessionId);
    await this.cellsReported();
    this.state = { kind: 'closed' };
    this.init.onClosed();
  }

  private async bind(scope: CallScope, mode: BindMode): Promise<Binding> {
    for (;;) {
      const state = this.state;
      switch (state.kind) {
        case 'closing':
        case 'closed':
          throw new SessionClosedError(`Session ${this.id}`);
        case 'open':
          if (state.binding.connection.isReady) return state.binding;
          this.state = { kind: 'lost', generation: state.binding.generation };
          continue;
        case 'lost':
          if (mode.kind === 'control') {
            throw new StaleCellError(mode.cellId, `was lost with the host of generation ${state.generation}`);
          }
          this.beginOpen(state.generation);
          continue;
        case 'new':
          this.beginOpen(undefined);
          continue;
        case 'opening': {
          const binding = await scope.race(state.open);
          // Every call that had to wait for a replacement fails once, so the caller learns of the loss.
          if (state.replacing !== undefined && mode.kind === 'work') throw new HostReplacedError(binding.generation);
          return binding;
        }
      }
    }
  }

  /** Starts the single-flight open; it runs detached so an aborted caller does not cancel it. */
  private beginOpen(replacing: number | undefined): void {
    const open = this.openBinding((replacing ?? 0) + 1);
    const opening: SessionState = { kind: 'opening', open, replacing };
    this.state = opening;
    open.then(
      (binding) => {
        this.lastBinding = binding;
        if (this.state === opening) this.state = { kind: 'open', binding };
      },
      () => {
        // A failed open does not poison the session: the next call tries again.
        if (this.state === opening) this.state = replacing === undefined ? { kind: 'new' } : { kind: 'lost', generation: replacing };
      },
    );
  }

  private async openBinding(generation: number): Promise<Binding> {
    const connection = await this.init.host.connection();
    const { limits, persistent } = this.init;
    const result = await connection.openSession({ ...(limits === undefined ? {} : { limits }), ...(persistent ? { persistent } : {}) });
    const binding: Binding = { connection, hostSessionId: result.sessionId, generation, limits: result.limits };
    connection.attach(this.bound(binding));
    return binding;
  }

  private bound(binding: Binding): BoundSession {
    return {
      id: this.id,
      hostSessionId: binding.hostSessionId,
      delegate: this.init.delegate,
      publicCellId: (cellId) => publicCellId(binding.generation, cellId),
      cellOpened: () => this.liveCells++,
      cellClosed: (event) => this.cellClosed(event),
      sessionReset: (hostCellId, reason) => {
        try {
          this.init.onSessionReset?.({ sessionId: this.id, cellId: publicCellId(binding.generation, hostCellId), reason });
        } catch {
          // A throwing listener must not break the connection.
        }
      },
    };
  }

  private cellClosed(event: CellClosedEvent): void {
    this.liveCells--;
    try {
      this.init.delegate.cellClosed?.(event);
    } catch {
      // The report is made exactly once whatever the listener does.
    }
    if (this.liveCells > 0) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private cellsReported(): Promise<void> {
    if (this.liveCells === 0) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push(resolve));
  }
}

function hostIdOf(binding: Binding, cellId: string): string {
  const hostId = hostCellId(binding.generation, cellId);
  if (hostId === undefined) throw new StaleCellError(cellId, `belongs to another host generation than the session's current one (${binding.generation})`);
  return hostId;
}

function publicResponse(binding: Binding, response: CellResponse): CellResponse {
  return { ...response, cellId: publicCellId(binding.generation, response.cellId) };
}

/**
 * An execute's error that names a cell (SessionBusy: the cell still running; MessageTooLarge: the
 * cell whose output waits for a smaller wait) names it by the host's ids; the caller knows the
 * public ones.
 */
function publicError(sessionId: string, binding: Binding, error: unknown): unknown {
  if (!(error instanceof RpcError)) return error;
  const data = error.data as Record<string, unknown> | null;
  if (typeof data?.cellId !== 'string') return error;
  const cellId = publicCellId(binding.generation, data.cellId);
  const message =
    error.rpcCode === ErrorCode.SessionBusy
      ? `Persistent session ${sessionId} is running cell ${cellId}; its cells run one at a time. Wait for it or terminate it first.`
      : error.message;
  return new RpcError(error.rpcCode, message, { ...data, sessionId, cellId });
}

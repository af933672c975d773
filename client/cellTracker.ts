import type { CellClosedParams } from '../schemas/index.js';
import type { BoundSession, CellCloseStatus } from './types.js';

/** A host protocol violation; the connection that sees one kills its host. */
export class ProtocolViolation extends Error {}

/**
 * One live cell: known to the client and not yet reported to `cellClosed`. It stays here while
 * its delegate calls settle after the host closed it (or the host was lost), so the report comes
 * after the last of them.
 */
class TrackedCell {
  readonly calls = new Set<AbortController>();
  closing: CellCloseStatus | undefined;

  constructor(
    readonly owner: SessionCells,
    readonly hostId: string,
  ) {}
}

/**
 * The cells of one host session. Only live cells are kept, never tombstones, so memory follows
 * concurrency rather than history. Cell ids are the host's increasing decimals, which is what
 * lets the tracker tell a new cell from a closed one without remembering closed ones:
 * - an execute may only be answered with a cell newer than every cell seen when it was sent;
 * - a cell first met in a delegate request or notification (the host may send those before the
 *   execute's response) is "unclaimed" until an execute's answer names it, and there may never
 *   be more unclaimed cells than executes in flight.
 */
class SessionCells {
  readonly live = new Map<string, TrackedCell>();
  private readonly unclaimed = new Set<string>();
  private readonly pendingFloors: number[] = [];
  private highestSeen = 0;

  constructor(readonly session: BoundSession) {}

  /** Records an execute about to be sent; returns its floor (its cell must be newer). */
  executeSent(): number {
    this.pendingFloors.push(this.highestSeen);
    return this.highestSeen;
  }

  /** An execute was answered, naming its cell or (`undefined`) not having started one. */
  executeAnswered(floor: number, cellId: string | undefined): void {
    this.pendingFloors.splice(this.pendingFloors.indexOf(floor), 1);
    if (cellId !== undefined) this.claim(floor, cellId);
    if (this.unclaimed.size > this.pendingFloors.length) {
      throw new ProtocolViolation(`code-mode host reported cells ${[...this.unclaimed].join(', ')} that no execute started`);
    }
  }

  /** The live cell a host message names; a first sight during an execute makes it unclaimed. */
  cellFor(cellId: string): TrackedCell {
    const cell = this.live.get(cellId);
    if (cell !== undefined) return cell;
    const n = parseCellId(cellId);
    const mayBeNew = this.unclaimed.size < this.pendingFloors.length && n > Math.min(...this.pendingFloors);
    if (!mayBeNew || this.unclaimed.has(cellId)) {
      throw new ProtocolViolation(`code-mode host named unknown or closed cell ${cellId} in session ${this.session.hostSessionId}`);
    }
    this.unclaimed.add(cellId);
    return this.track(cellId, n);
  }

  private claim(floor: number, cellId: string): void {
    const n = parseCellId(cellId);
    if (n <= floor) throw new ProtocolViolation(`code-mode host answered an execute with cell ${cellId}, which existed before it`);
    if (this.unclaimed.delete(cellId)) return;
    if (this.live.has(cellId)) throw new ProtocolViolation(`code-mode host answered two executes with cell ${cellId}`);
    this.track(cellId, n);
  }

  private track(cellId: string, n: number): TrackedCell {
    this.highestSeen = Math.max(this.highestSeen, n);
    const cell = new TrackedCell(this, cellId);
    this.live.set(cellId, cell);
    this.session.cellOpened();
    return cell;
  }
}

function parseCellId(cellId: string): number {
  if (!/^[1-9][0-9]{0,15}$/.test(cellId)) throw new ProtocolViolation(`code-mode host used malformed cell id ${JSON.stringify(cellId)}`);
  return Number(cellId);
}

/** An execute in flight, to settle with `executeAnswered`. */
export interface ExecuteTicket {
  readonly hostSessionId: string;
  readonly floor: number;
}

/** A running delegate call of one cell. */
export interface DelegateCall {
  readonly session: BoundSession;
  readonly cellId: string;
  readonly signal: AbortSignal;
  abort(): void;
  /** Must be called once the delegate settled, whatever the outcome. */
  end(): void;
}

/**
 * Every live cell on one connection, and durable cleanup: `cellClosed` is reported exactly once
 * per cell, after its delegate calls have settled, whether the host closed the cell, the session
 * was closed, or the host was lost.
 */
export class CellTracker {
  private readonly sessions = new Map<string, SessionCells>();

  attach(session: BoundSession): void {
    this.sessions.set(session.hostSessionId, new SessionCells(session));
  }

  executeSent(hostSessionId: string): ExecuteTicket {
    return { hostSessionId, floor: this.sessions.get(hostSessionId)?.executeSent() ?? 0 };
  }

  executeAnswered(ticket: ExecuteTicket, cellId: string | undefined): void {
    this.sessions.get(ticket.hostSessionId)?.executeAnswered(ticket.floor, cellId);
  }

  /** Starts a delegate call for a live cell; throws a violation for an unknown session or cell. */
  beginCall(hostSessionId: string, cellId: string): DelegateCall {
    const cell = this.cellFor(hostSessionId, cellId);
    if (cell.closing !== undefined) {
      throw new ProtocolViolation(`code-mode host delegated for cell ${cellId} after closing it`);
    }
    const controller = new AbortController();
    cell.calls.add(controller);
    return {
      session: cell.owner.session,
      cellId: cell.owner.session.publicCellId(cellId),
      signal: controller.signal,
      abort: () => controller.abort(),
      end: () => {
        cell.calls.delete(controller);
        if (cell.closing !== undefined && cell.calls.size === 0) this.report(cell);
      },
    };
  }

  /** The session a `cell/output` belongs to, after checking the cell is live. */
  sessionForOutput(hostSessionId: string, cellId: string): BoundSession {
    const cell = this.cellFor(hostSessionId, cellId);
    if (cell.closing !== undefined) throw new ProtocolViolation(`code-mode host sent output for closed cell ${cellId}`);
    return cell.owner.session;
  }

  /** The bound session with this host id; a violation when the host names no session of ours. */
  sessionNamed(hostSessionId: string): BoundSession {
    const cells = this.sessions.get(hostSessionId);
    if (cells === undefined) throw new ProtocolViolation(`code-mode host named unknown session ${hostSessionId}`);
    return cells.session;
  }

  /** `cell/closed` from the host: a second one for a cell is a violation. */
  hostClosed(params: CellClosedParams): void {
    const cell = this.cellFor(params.sessionId, params.cellId);
    if (cell.closing !== undefined) throw new ProtocolViolation(`code-mode host closed cell ${params.cellId} twice`);
    this.close(cell, params.status);
  }

  /**
   * The host session is gone (its `session/close` was answered, or the host no longer knows it).
   * The host reports every cell before answering, so leftovers are only closed here to keep the
   * exactly-once promise.
   */
  detach(hostSessionId: string): void {
    const cells = this.sessions.get(hostSessionId);
    this.sessions.delete(hostSessionId);
    for (const cell of cells?.live.values() ?? []) {
      if (cell.closing === undefined) this.close(cell, 'terminated');
    }
  }

  /** The host was lost: every live cell closes as `lost` once its aborted delegate calls settle. */
  failAll(): void {
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    for (const cells of sessions) {
      for (const cell of cells.live.values()) {
        // A cell the host already closed keeps its status; its calls were aborted then.
        if (cell.closing === undefined) this.close(cell, 'lost');
      }
    }
  }

  private cellFor(hostSessionId: string, cellId: string): TrackedCell {
    const cells = this.sessions.get(hostSessionId);
    if (cells === undefined) throw new ProtocolViolation(`code-mode host named unknown session ${hostSessionId}`);
    return cells.cellFor(cellId);
  }

  private close(cell: TrackedCell, status: CellCloseStatus): void {
    cell.closing = status;
    for (const call of cell.calls) call.abort();
    if (cell.calls.size === 0) this.report(cell);
  }

  private report(cell: TrackedCell): void {
    if (!cell.owner.live.delete(cell.hostId)) return;
    const session = cell.owner.session;
    session.cellClosed({ sessionId: session.id, cellId: session.publicCellId(cell.hostId), status: cell.closing ?? 'terminated' });
  }
}

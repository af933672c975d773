/**
 * A session: a namespace of cells ("1", "2", ... never reused) and the store its cells share.
 * Sessions are independent: nothing here reaches another session.
 */
import type { CancellationToken } from 'vscode-jsonrpc/node';
import type {
  CellExecuteParams,
  CellResponse,
  CellTerminateParams,
  CellWaitParams,
  CellYieldParams,
  CellYieldResult,
  EffectiveSessionLimits,
} from '../../schemas/index.js';
import { Cell, elapsedMs } from '../cells/cell.js';
import { CellDelegates } from '../cells/cellDelegates.js';
import type { CellHost } from '../cells/cellHost.js';
import { buildToolSet } from '../cells/toolSet.js';
import type { DelegateChannel } from '../delegate/delegateChannel.js';
import { hostError } from '../errors.js';
import type { AdmissionCounter } from './admissionCounter.js';
import type { MemoryBudget } from './memoryBudget.js';
import type { Sandbox } from '../sandbox/api.js';
import { PersistentRealm, type PersistentRealmEnv } from './persistentRealm.js';
import { SessionStore } from './sessionStore.js';

/** What every session of a connection shares. */
export interface SessionEnv extends Omit<CellHost, 'commitStore' | 'releaseActiveCell' | 'sandbox'>, PersistentRealmEnv {
  readonly sandbox: Sandbox;
  readonly delegates: DelegateChannel;
  readonly activeCells: AdmissionCounter;
  readonly memory: MemoryBudget;
}

export class Session {
  private readonly cells = new Map<string, Cell>();
  private readonly store: SessionStore;
  private nextCellNumber = 1;
  private unclosed = 0;
  private allClosed: (() => void) | undefined;
  /** Only for a persistent session: the realm its cells share. */
  private readonly realm: PersistentRealm | null;

  constructor(
    readonly id: string,
    readonly limits: EffectiveSessionLimits,
    private readonly env: SessionEnv,
    readonly persistent: boolean,
  ) {
    this.store = new SessionStore(limits.maxStoredBytes, env.memory);
    this.realm = persistent ? new PersistentRealm(id, env.sandbox.openRealm(limits.heapLimitMb), env) : null;
  }

  execute(params: CellExecuteParams, token: CancellationToken, receivedAt: number): Promise<CellResponse> {
    const tools = buildToolSet(params.tools);
    this.realm?.admit();
    if (!this.env.activeCells.tryAcquire()) throw hostError.overloaded('maxActiveCells', this.env.activeCells.limit);
    const cellId = String(this.nextCellNumber++);
    const identity = { sessionId: this.id, cellId, toolCallId: params.toolCallId ?? null };
    const delegates = new CellDelegates(identity, tools, this.env.delegates, this.limits.maxPendingToolCalls, this.env.logger, this.env.memory);
    const host: CellHost = {
      ...this.env,
      sandbox: this.realm?.starterFor(cellId, () => cell.live) ?? this.env.sandbox,
      commitStore: (view) => this.store.commit(view),
      releaseActiveCell: () => this.env.activeCells.release(),
    };
    this.unclosed++;
    const cell: Cell = new Cell({
      identity,
      limits: this.limits,
      storeView: this.store.snapshot(),
      delegates,
      host,
      onCollected: () => this.cells.delete(cellId),
      onReturned: () => this.cells.set(cellId, cell),
      onClosed: () => this.cellClosed(),
    });
    this.cells.set(cellId, cell);
    const program = {
      sessionId: this.id,
      source: params.source,
      language: params.language ?? 'javascript',
      filename: `cell-${cellId}.js`,
      tools: [...tools.values()].map((tool) => ({ jsName: tool.jsName, description: tool.definition.description ?? '' })),
      limits: {
        heapLimitMb: this.limits.heapLimitMb,
        cpuTimeLimitMs: this.limits.cpuTimeLimitMs,
        wallTimeLimitMs: this.limits.wallTimeLimitMs,
        maxOutputBytes: this.limits.maxOutputBytes,
        maxPendingToolCalls: this.limits.maxPendingToolCalls,
      },
    };
    return cell.execute(program, params.yieldTimeMs, params.maxOutputTokens, token, receivedAt);
  }

  wait(params: CellWaitParams, token: CancellationToken, receivedAt: number): Promise<CellResponse> {
    const cell = this.cells.get(params.cellId);
    if (cell === undefined) return Promise.resolve(missing(params.cellId, receivedAt));
    return cell.wait(params.yieldTimeMs, params.maxOutputTokens, token, receivedAt);
  }

  terminate(params: CellTerminateParams, receivedAt: number): Promise<CellResponse> {
    const cell = this.cells.get(params.cellId);
    if (cell === undefined) return Promise.resolve(missing(params.cellId, receivedAt));
    return cell.terminate(receivedAt);
  }

  yield(params: CellYieldParams): CellYieldResult {
    return { yielded: this.cells.get(params.cellId)?.yieldObserver() ?? false };
  }

  /**
   * Terminates every live cell and resolves once every `cell/closed` of the session has been sent
   * (which also answers every in-flight observation). Pending results are dropped with the store.
   */
  async close(): Promise<void> {
    await Promise.all([...this.cells.values()].map((cell) => cell.close()));
    if (this.unclosed > 0) await new Promise<void>((resolve) => (this.allClosed = resolve));
    this.cells.clear();
    this.realm?.dispose();
    this.store.dispose();
  }

  private cellClosed(): void {
    this.unclosed--;
    if (this.unclosed === 0) this.allClosed?.();
  }
}

function missing(cellId: string, receivedAt: number): CellResponse {
  return {
    cellId,
    status: 'missing',
    items: [],
    error: `cell ${cellId} not found`,
    durationMs: elapsedMs(receivedAt),
    pendingToolCalls: [],
  };
}

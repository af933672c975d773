import type {
  CellExecuteParams,
  CellOutputParams,
  CellWaitParams,
  DelegateInvokeToolParams,
  DelegateNotifyParams,
  ResetReason,
  SessionLimits,
} from '../schemas/index.js';
import type { HostLimitOptions } from './hostCommand.js';

/** A tool call from a cell. `sessionId` is the logical session's id, `cellId` the public cell id. */
export type ToolCall = DelegateInvokeToolParams;

/**
 * A persistent session's realm was discarded while cell `cellId` ran (public ids): every variable
 * of the session is gone, its next cell starts in a fresh realm, its store is kept. Reported
 * before that cell's final response. A lost host is reported by HOST_REPLACED instead.
 */
export interface SessionResetEvent {
  sessionId: string;
  cellId: string;
  reason: ResetReason;
}

/** A `notify(value)` from a cell, with the same public ids as ToolCall. */
export type Notification = DelegateNotifyParams;

/** Output a cell produced, streamed as it happens (also returned by the next observation). */
export type CellOutputEvent = CellOutputParams;

/** How a cell ended: as the host reported it, or `lost` with its host. */
export type CellCloseStatus = 'completed' | 'terminated' | 'lost';

/** A cell's runtime is gone; reported exactly once per cell, after its delegate calls settled. */
export interface CellClosedEvent {
  sessionId: string;
  cellId: string;
  status: CellCloseStatus;
}

/**
 * Answers the host's requests. `signal` aborts when the host cancels the call, when its cell
 * closes, and when the host is lost; the result is then dropped.
 */
export interface Delegate {
  /** Runs a tool; the returned JSON value resolves the cell's promise, a throw rejects it with the message. */
  invokeTool(call: ToolCall, signal: AbortSignal): unknown;
  notify?(note: Notification, signal: AbortSignal): unknown;
  cellClosed?(event: CellClosedEvent): void;
  /** Setting this on the client's delegate asks the host to stream output. */
  cellOutput?(event: CellOutputEvent): void;
}

/** A session's own delegate: each member it defines overrides the client's. */
export type SessionDelegate = Partial<Delegate>;

/** `cell/execute` params without the session id, which the session supplies. */
export type ExecuteRequest = Omit<CellExecuteParams, 'sessionId'>;

/** `cell/wait` params without the session and cell ids. */
export type WaitRequest = Omit<CellWaitParams, 'sessionId' | 'cellId'>;

export interface OpenSessionOptions {
  limits?: SessionLimits;
  delegate?: SessionDelegate;
  /**
   * One realm for all the session's cells: top-level declarations persist, the last expression's
   * value is shown, cells run one at a time (see docs/protocol.md, "Persistent sessions").
   */
  persistent?: boolean;
  /** Called for each `session/reset` of this session (persistent sessions only). */
  onSessionReset?: (event: SessionResetEvent) => void;
}

/** More than `maxRestarts` host losses within `windowMs` and calls fail with HOST_UNAVAILABLE. */
export interface RestartOptions {
  maxRestarts?: number;
  windowMs?: number;
}

export interface CodeModeClientOptions {
  delegate: Delegate;
  /** Program and arguments that start the host; default: this package's host on the current Node. */
  command?: string[];
  /** Passed to the host as kebab-case CLI flags. */
  hostLimits?: HostLimitOptions;
  restart?: RestartOptions;
  /** How long the host may take to answer `initialize` (default 10000). */
  handshakeTimeoutMs?: number;
  /** Each step of `client.close()`'s escalation: shutdown reply, exit after EOF, exit after SIGTERM (default 2000). */
  closeStepMs?: number;
  /** Each line the host writes to stderr; by default lines are only kept (bounded) for error messages. */
  onStderr?: (line: string) => void;
}

/** What the connection needs from a logical session bound to one of its host sessions. */
export interface BoundSession {
  /** The logical session's id, stable across generations. */
  readonly id: string;
  readonly hostSessionId: string;
  readonly delegate: Delegate;
  publicCellId(hostCellId: string): string;
  cellOpened(): void;
  cellClosed(event: CellClosedEvent): void;
  /** `session/reset` for this host session, with the host's cell id. */
  sessionReset(hostCellId: string, reason: ResetReason): void;
}

/**
 * The contract between the cell logic (server/cells) and the isolate runner (server/sandbox).
 * Nothing here mentions isolated-vm: only server/sandbox/*.ts may import it.
 *
 * Two implementations: the supervisor (supervisor.ts), which the host uses and which runs every
 * cell in a sandbox process, and the engine (sandbox.ts), which runs cells in isolates of the
 * process it lives in (the sandbox process's own half). Every callback below runs on the main
 * thread of the host process, and values cross as JSON text or structured clones of JSON values.
 */
import type { ContentItem } from '../../schemas/index.js';

/** What the runner needs to start one cell. */
export interface CellProgram {
  /** The session the cell belongs to: its cells share one sandbox process. */
  sessionId: string;
  /** The cell's source, as the client sent it. */
  source: string;
  language: 'javascript' | 'typescript';
  /** Shown in stack traces, e.g. `cell-3.js`. */
  filename: string;
  /** The enabled tools: `tools[jsName]` exists in the cell; `ALL_TOOLS` lists them. */
  tools: ReadonlyArray<{ jsName: string; description: string }>;
  limits: {
    heapLimitMb: number;
    cpuTimeLimitMs: number;
    /** null: no wall-time limit. */
    wallTimeLimitMs: number | null;
    /** Output the isolate may hold before it hands it over; past it, items are dropped and counted. */
    maxOutputBytes: number;
    /** Tool calls over it are refused inside the isolate. */
    maxPendingToolCalls: number;
  };
}

/**
 * A tool call's outcome. `result` is a JSON value (parsed from the client's answer); it is copied
 * into the cell by structured clone, which for JSON values is the same data without a second
 * stringify/parse round.
 */
export type ToolOutcome = { ok: true; result: unknown } | { ok: false; message: string };

/**
 * Callbacks from the running cell to the cell logic. Where one returns a promise, the cell waits
 * for it (blocked, using no CPU): that is how backpressure reaches a cell.
 */
export interface CellEvents {
  /**
   * Output items in the order the cell made them; `droppedBytes` counts what the isolate dropped,
   * `bytes` what the batch costs in transit. The cell sends more once the returned promise settles.
   */
  output(items: ContentItem[], droppedBytes: number, bytes: number): void | Promise<void>;
  /** `yield_control()`: end the current observation window now. */
  yieldControl(): void;
  /**
   * `tools.<jsName>(input)`; `inputJson` is undefined when there is no input. `answer` is called
   * exactly once, maybe before toolCall returns; a toolCall that throws has not called it. A
   * callback, not a promise: a burst of parallel calls would pay for a promise and its reactions
   * per call in every layer it crosses.
   */
  toolCall(jsName: string, inputJson: string | undefined, answer: (outcome: ToolOutcome) => void): void;
  /** `notify(value)`, already converted to text; the cell continues once the promise settles. */
  notify(text: string): void | Promise<void>;
  /** `store(key, value)`; returns an error message to throw in the cell, or null when stored. */
  store(key: string, json: string): string | null | Promise<string | null>;
  /** `load(key)`: the JSON text of the value the cell sees, or undefined. */
  load(key: string): string | undefined | Promise<string | undefined>;
}

/** Why a persistent realm was discarded during a cell (see Realm). */
export type RealmResetReason = 'terminated' | 'cpuTimeLimit' | 'wallTimeLimit' | 'heapLimit' | 'crashed';

/**
 * How a cell's runtime ended. `reset` is set only for a cell of a Realm whose realm was discarded
 * on the way: every variable of the realm is gone and its next cell starts in a fresh one.
 */
export type CellExit =
  /** The cell's code settled, or a limit stopped it. `error` is the thrown value's stack or string, or the limit's message. */
  | ({ kind: 'completed'; error: string | null } & RealmNote)
  /** `terminate()` was called before the code settled. `error` explains a terminate that cost more than the cell. */
  | ({ kind: 'terminated'; error?: string } & RealmNote)
  /** The process running the cell died (out of memory, a signal): `error` names the cause. */
  | ({ kind: 'lost'; error: string } & RealmNote);

/** What a Realm's cell says about the realm besides how the cell ended. */
export interface RealmNote {
  /** The realm was discarded during this cell, for this reason. */
  reset?: RealmResetReason;
  /**
   * The realm was lost with its sandbox process while no cell ran; this cell started in a fresh
   * one. The protocol reports a reset only with a cell, so it is reported with this one.
   */
  lostBefore?: true;
}

/** One running cell. */
export interface CellRun {
  /** Settles once, when the runtime is gone (its isolate disposed); never rejects. */
  readonly done: Promise<CellExit>;
  /** Stop the cell now, CPU-bound code included. Idempotent; has no effect once `done` settled. */
  terminate(): void;
}

/** Starts cells: a Sandbox (a fresh isolate per cell) or a Realm (one isolate for many cells). */
export interface CellStarter {
  /** Resolves once the cell's code has started running (the execute yield timer starts then). */
  start(program: CellProgram, events: CellEvents): Promise<CellRun>;
}

/**
 * One isolate and context kept across the cells of a persistent session. Cells run one at a time
 * (starting one while another runs is a caller bug and throws). The source is compiled by
 * realm/transform.ts: top-level declarations become globals a later cell sees and may declare
 * again, and the last expression statement's value is appended as a text item.
 *
 * The realm is kept when a cell's code settles (with or without an error), calls `exit()`, or fails
 * to compile. It is discarded, and the cell's exit carries `reset`, when the cell is terminated
 * before its code settled, exceeds its CPU or wall time, exhausts `heapLimitMb` (which bounds the
 * realm as a whole), the isolate fails, or its sandbox process dies (`lost`, reset `crashed`). A
 * cell's timers and unanswered tool calls end with it either way: they never run or settle in a
 * later cell.
 */
export interface Realm extends CellStarter {
  /** Disposes the isolate; a running cell ends with it. Idempotent. */
  dispose(): void;
}

/** Owns the isolate pool; creates cell runtimes. */
export interface Sandbox extends CellStarter {
  /** A realm for a persistent session; its isolate is created (or taken from the pool) by its first cell. */
  openRealm(heapLimitMb: number): Realm;
  /**
   * Stops creating runtimes. The engine's cells already started keep running until they end; the
   * supervisor's sandbox processes are told to exit and are killed if they do not.
   */
  dispose(): void;
}

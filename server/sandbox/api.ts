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
  /** `tools.<jsName>(input)`; `inputJson` is undefined when there is no input. Never rejects. */
  toolCall(jsName: string, inputJson: string | undefined): Promise<ToolOutcome>;
  /** `notify(value)`, already converted to text; the cell continues once the promise settles. */
  notify(text: string): void | Promise<void>;
  /** `store(key, value)`; returns an error message to throw in the cell, or null when stored. */
  store(key: string, json: string): string | null | Promise<string | null>;
  /** `load(key)`: the JSON text of the value the cell sees, or undefined. */
  load(key: string): string | undefined | Promise<string | undefined>;
}

/** How a cell's runtime ended. */
export type CellExit =
  /** The cell's code settled, or a limit stopped it. `error` is the thrown value's stack or string, or the limit's message. */
  | { kind: 'completed'; error: string | null }
  /** `terminate()` was called before the code settled. */
  | { kind: 'terminated' }
  /** The process running the cell died (out of memory, a signal): `error` names the cause. */
  | { kind: 'lost'; error: string };

/** One running cell. */
export interface CellRun {
  /** Settles once, when the runtime is gone (its isolate disposed); never rejects. */
  readonly done: Promise<CellExit>;
  /** Stop the cell now, CPU-bound code included. Idempotent; has no effect once `done` settled. */
  terminate(): void;
}

/** Owns the isolate pool; creates cell runtimes. */
export interface Sandbox {
  /** Resolves once the cell's code has started running (the execute yield timer starts then). */
  start(program: CellProgram, events: CellEvents): Promise<CellRun>;
  /**
   * Stops creating runtimes. The engine's cells already started keep running until they end; the
   * supervisor's sandbox processes are told to exit and are killed if they do not.
   */
  dispose(): void;
}

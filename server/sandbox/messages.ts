/**
 * The one declaration of every message between the host (server/sandbox/supervisor.ts) and a
 * sandbox process (server/sandbox/processMain.ts). Messages travel over the child's IPC channel
 * with Node's "advanced" serialization (structured clone), always as arrays: each side sends
 * everything it produced in one turn as one batch, so a burst of tool calls or outputs costs one
 * crossing, not one per message.
 */
import type { ContentItem } from '../../schemas/index.js';
import type { CellExit, CellProgram } from './api.js';

/** A run: one cell in the sandbox process, numbered by the host. */
export type RunId = number;
/** A request from the sandbox process that the host answers with a `reply`. */
export type CallId = number;
/** A persistent session's realm (api.ts Realm) in the sandbox process, numbered by the host. */
export type RealmId = number;

/** Host → sandbox process. */
export type ToSandbox =
  /** Starts a cell: in a fresh isolate, or in that realm (which must be open and have no cell running). */
  | { t: 'start'; run: RunId; program: CellProgram; realm: RealmId | null }
  /** Opens a realm; its isolate is taken by its first cell. */
  | { t: 'openRealm'; realm: RealmId; heapLimitMb: number }
  /** Disposes the realm; a cell still running in it ends with its isolate. */
  | { t: 'disposeRealm'; realm: RealmId }
  | { t: 'terminate'; run: RunId }
  /** The answer to a `call` of that run. */
  | { t: 'reply'; run: RunId; call: CallId; value: CallResult }
  | ToolAnswers
  /** The host has forwarded `bytes` of that run's output: the run may send that much more. */
  | { t: 'credit'; run: RunId; bytes: number };

/**
 * Answers to tool calls of one run, in the order they settled: `results[i]` answers `calls[i]`,
 * and is the failure's message when `i` is in `failed` (ascending). Columns, not an object per
 * answer: structured clone writes every object's keys, which made a burst of parallel calls cost
 * more in serialization than in anything else. The answers settled in one turn join one message.
 */
export interface ToolAnswers {
  t: 'toolAnswers';
  run: RunId;
  calls: CallId[];
  results: unknown[];
  failed: number[];
}

/**
 * Tool calls of one run, in the order the cell made them: `calls[i]` is `tools[jsNames[i]](input)`
 * with `inputs[i]` its input's JSON text (undefined without input); columns for the reason given
 * at ToolAnswers. The calls made in one turn join one message, unless another message came between.
 */
export interface ToolCalls {
  t: 'toolCalls';
  run: RunId;
  calls: CallId[];
  jsNames: string[];
  inputs: Array<string | undefined>;
}

/** The host's side of each other call a cell makes through the bridge, with what it answers. */
export interface Calls {
  /** Answers once the cell may send another notification (see the per-cell window in the host). */
  notify: { args: { text: string }; result: null };
  store: { args: { key: string; json: string }; result: string | null };
  load: { args: { key: string }; result: string | undefined };
}
export type CallKind = keyof Calls;
export type CallRequest = { [K in CallKind]: { kind: K; args: Calls[K]['args'] } }[CallKind];
export type CallResult = Calls[CallKind]['result'];

/** Sandbox process → host. */
export type FromSandbox =
  /** The process is up and can take runs. */
  | { t: 'ready' }
  /** The run's code started (after strip and compile, with its limits armed). */
  | { t: 'started'; run: RunId }
  /** The run is gone; nothing more comes for it. */
  | { t: 'done'; run: RunId; exit: CellExit }
  | { t: 'output'; run: RunId; items: ContentItem[]; droppedBytes: number; bytes: number }
  | { t: 'yield'; run: RunId }
  | ({ t: 'call'; run: RunId; call: CallId } & CallRequest)
  | ToolCalls;

/** The line a sandbox process writes to stderr, synchronously, just before V8 state loss kills it. */
export const FATAL_PREFIX = 'codemode-sandbox fatal: ';

/**
 * Bytes (output batches and tool call inputs) a run may have sent that the host has not yet
 * written towards the client; past it the cell's output waits and its tool calls queue in the
 * sandbox process until the host sends credit.
 */
export const OUTPUT_WINDOW_BYTES = 1 << 20;

/** Credit the host returns to a run at once, at least: a quarter of its window. */
export const CREDIT_BATCH_BYTES = OUTPUT_WINDOW_BYTES / 4;

/** What a message costs against the window: output batches and tool call inputs; nothing else. */
export function meteredBytes(message: FromSandbox): number {
  if (message.t === 'output') return message.bytes;
  if (message.t === 'toolCalls') {
    let bytes = 0;
    for (const input of message.inputs) bytes += input?.length ?? 0;
    return bytes;
  }
  return 0;
}

/** Unanswered notifications one cell may have; a further notify() waits for one to settle. */
export const NOTIFY_WINDOW = 16;

/**
 * Collects messages and sends each turn's messages as one array. `send` returning false means
 * the channel's buffer is full; the batching still bounds memory, as every sender is itself bounded.
 */
export class Outbox<M> {
  private queue: M[] = [];

  constructor(private readonly send: (batch: M[]) => void) {}

  post(message: M): void {
    if (this.queue.length === 0) setImmediate(this.flush);
    this.queue.push(message);
  }

  /** The message posted last this turn, still unsent: a message of the same kind may join it. */
  last(): M | undefined {
    return this.queue[this.queue.length - 1];
  }

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.send(batch);
  };
}

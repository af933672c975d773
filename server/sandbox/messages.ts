/**
 * The one declaration of every message between the host (server/sandbox/supervisor.ts) and a
 * sandbox process (server/sandbox/processMain.ts). Messages travel over the child's IPC channel
 * with Node's "advanced" serialization (structured clone), always as arrays: each side sends
 * everything it produced in one turn as one batch, so a burst of tool calls or outputs costs one
 * crossing, not one per message.
 */
import type { ContentItem } from '../../schemas/index.js';
import type { CellExit, CellProgram, ToolOutcome } from './api.js';

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
  /** The host has forwarded `bytes` of that run's output: the run may send that much more. */
  | { t: 'credit'; run: RunId; bytes: number };

/** The host's side of each call a cell makes through the bridge, with what it answers. */
export interface Calls {
  toolCall: { args: { jsName: string; inputJson: string | undefined }; result: ToolOutcome };
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
  | ({ t: 'call'; run: RunId; call: CallId } & CallRequest);

/** The line a sandbox process writes to stderr, synchronously, just before V8 state loss kills it. */
export const FATAL_PREFIX = 'codemode-sandbox fatal: ';

/**
 * Bytes (output batches and tool call inputs) a run may have sent that the host has not yet
 * written towards the client; past it the cell's output waits and its tool calls queue in the
 * sandbox process until the host sends credit.
 */
export const OUTPUT_WINDOW_BYTES = 1 << 20;

/** What a message costs against the window: output batches and tool call inputs; nothing else. */
export function meteredBytes(message: FromSandbox): number {
  if (message.t === 'output') return message.bytes;
  if (message.t === 'call' && message.kind === 'toolCall') return message.args.inputJson?.length ?? 0;
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

  private readonly flush = (): void => {
    const batch = this.queue;
    this.queue = [];
    if (batch.length > 0) this.send(batch);
  };
}

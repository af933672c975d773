/**
 * The crossing between a cell's isolate and its sandbox process, declared once: the host functions
 * the in-isolate code may call (HostBridge), what it hands back (BootstrapApi), and the config each
 * cell's start receives. prepared.ts implements HostBridge and isolate/bootstrap.ts calls it; both
 * read the names from HOST_BRIDGE_NAMES, so nothing is kept in step by hand.
 */

/**
 * The tool calls the cell made in one synchronous stretch, as they leave the isolate, in columns:
 * call i is the isolate's id `ids[i]`, the tool's JavaScript name `jsNames[i]` and its input as
 * JSON text `inputs[i]` (undefined without input). Columns, not an array per call: copying a
 * small array per call cost more than the rest of the crossing. One argument, as each argument
 * is copied on its own, which a sequential call (a batch of one) would pay three times.
 */
export type ToolCallBatch = readonly [ids: readonly number[], jsNames: readonly string[], inputs: ReadonlyArray<string | undefined>];

/**
 * How each answer of an `answer` batch settles its call, one character per answer in `kinds`:
 * `v` with its result `values[i]` (copied), `e` with its error message `values[i]`, `t` with the
 * string result `strings[values[i]]`, an argument of its own: isolated-vm copies a string argument
 * once, where a string inside a copied value is serialized and deserialized (two passes and a buffer).
 */
export type AnswerKind = 'v' | 'e' | 't';

/** The answers that settled together, in columns: ids, one AnswerKind per answer, values. */
export type ToolAnswerBatch = readonly [ids: readonly number[], kinds: string, values: readonly unknown[]];

/**
 * The host side of the bridge, bound to one cell. The cell waits (applySyncPromise) for output,
 * notify, store and load: that is how backpressure and answers from another process reach it
 * without a busy loop.
 */
export interface HostBridge {
  output(itemsJson: string, droppedBytes: number): Promise<void>;
  yieldControl(): void;
  /** Calls the host answers later, through BootstrapApi.answer; the isolate does not wait. */
  toolCalls(batch: ToolCallBatch): void;
  notify(text: string): Promise<void>;
  /** Resolves null when stored, else why not. */
  store(key: string, json: string): Promise<string | null>;
  load(key: string): Promise<string | undefined>;
  setTimer(id: number, delayMs: number): void;
  clearTimer(id: number): void;
  exit(): void;
}

export type HostBridgeName = keyof HostBridge;

// Every name once: the mapped type refuses a missing or an unknown key.
const NAMES: { readonly [K in HostBridgeName]: null } = {
  output: null,
  yieldControl: null,
  toolCalls: null,
  notify: null,
  store: null,
  load: null,
  setTimer: null,
  clearTimer: null,
  exit: null,
};

/** The bridge's names; the order in which isolated-vm passes the host functions into the isolate. */
export const HOST_BRIDGE_NAMES: readonly HostBridgeName[] = Object.freeze(Object.keys(NAMES) as HostBridgeName[]);

/**
 * A host function as the in-isolate code holds it: an isolated-vm Reference, of which it uses
 * these calls (every argument and answer is a primitive, or copied, so it crosses as a value).
 */
export interface HostFunction<F extends (...args: never[]) => unknown> {
  applySync(receiver: undefined, args: Parameters<F>): Awaited<ReturnType<F>>;
  /** Blocks the isolate until the host's promise settles. */
  applySyncPromise(receiver: undefined, args: Parameters<F>): Awaited<ReturnType<F>>;
  /** Returns at once; the arguments are copied before it returns. */
  applyIgnored(receiver: undefined, args: Parameters<F>, options: CopyArguments): void;
}

export interface CopyArguments {
  readonly arguments: { readonly copy: true };
}

/** The bridge as the in-isolate code receives it: a null-prototype object of host functions by name. */
export type IsolateBridge = { readonly [K in HostBridgeName]: HostFunction<HostBridge[K]> };

/** What `start(body, configJson)` receives as its JSON config. */
export interface BootstrapConfig {
  tools: ReadonlyArray<{ jsName: string; description: string }>;
  maxOutputBytes: number;
  /** Past it a tool call is refused in the isolate, without crossing to the host. */
  maxPendingToolCalls: number;
  /** A cell of a persistent realm (compiled by realm/transform.ts). */
  persistent: boolean;
}

/** Constants the bootstrap receives as a JSON literal (it captures nothing from its module). */
export interface BootstrapConstants {
  /** Shown in stack frames of helper code; the error text drops frames with this name. */
  filename: string;
  maxPendingTimers: number;
  itemOverheadBytes: number;
}

/**
 * The helper a persistent cell's body receives (see realm/transform.ts): `declare(...names)` makes
 * each name a writable global, `seal(...names)` makes them read-only, `define(name, value)`
 * declares a function.
 */
export interface PersistHelper {
  declare(...names: string[]): void;
  seal(...names: string[]): void;
  define(name: string, value: unknown): void;
}

/** A compiled cell: the async function compile.ts or realm/transform.ts produced. */
export type CellBody = (helper?: PersistHelper) => Promise<unknown>;

/** What the bootstrap returns to the host, which holds each as a Reference the cell cannot reach. */
export interface BootstrapApi {
  /** Runs the compiled cell body; resolves with null on success or the error text. */
  start(body: CellBody, configJson: string): Promise<string | null>;
  /** Null when the source parses as the body of a strict async function, else the error text. */
  check(source: string): string | null;
  /** Runs timer id's callback. */
  fire(id: number): void;
  /**
   * Settles the calls `ids` in order, each as its AnswerKind in `kinds` says; answers to calls of
   * an ended cell are dropped. The columns are one argument, for the reason given at ToolCallBatch.
   */
  answer(answers: ToolAnswerBatch, ...strings: string[]): void;
}

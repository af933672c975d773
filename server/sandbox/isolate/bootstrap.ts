/**
 * The in-isolate half of the sandbox: run once per isolate, before any cell.
 *
 * `bootstrap` is not called here: ../bootstrap.ts injects its source into the isolate, in strict
 * mode, with the host bridge as its argument (never a global). So it must capture nothing from
 * this module: its only imports are types, and its constants arrive as an argument. It captures
 * the intrinsics it uses before any cell code can replace them, installs the cell globals of
 * docs/protocol.md and returns `{ start, check, fire, answer }` to the host, which holds them as
 * References the cell cannot reach. Strict mode means V8 CallSites (Error.prepareStackTrace)
 * expose neither its functions nor its receivers.
 */
import type { BootstrapApi, BootstrapConfig, BootstrapConstants, CellBody, CopyArguments, IsolateBridge, PersistHelper, ToolAnswerBatch } from '../bridge.js';

type OutputItem = { type: 'text'; text: string } | { type: 'image'; imageUrl: string; detail?: string };
type Run = { settleWith(text: string | null): void; failWith(error: unknown): void };
type Waiting = { resolve(value: unknown): void; reject(message: string): void };

export function bootstrap(bridge: IsolateBridge, constants: BootstrapConstants): BootstrapApi {
  const hostOutput = bridge.output, hostYield = bridge.yieldControl, hostToolCalls = bridge.toolCalls, hostNotify = bridge.notify;
  const hostStore = bridge.store, hostLoad = bridge.load, hostSetTimer = bridge.setTimer, hostClearTimer = bridge.clearTimer;
  const hostExit = bridge.exit;

  // Intrinsics captured before any cell code can replace them.
  const stringify = JSON.stringify, parse = JSON.parse, now = Date.now, apply = Reflect.apply, deleteProperty = Reflect.deleteProperty;
  const freeze = Object.freeze, defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;
  const isArray = Array.isArray, ObjectProto = Object.prototype, ErrorCtor = Error, StringCtor = String;
  const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor, hasOwn = Object.hasOwn;
  const mapClear = Map.prototype.clear, PromiseCtor = Promise, TypeErrorCtor = TypeError;
  const then = Promise.prototype.then, resolved = Promise.resolve();
  const AsyncFunction = getPrototypeOf(async function () {}).constructor as new (body: string) => unknown;
  const MapCtor = Map, mapGet = Map.prototype.get, mapSet = Map.prototype.set, mapDelete = Map.prototype.delete;
  const mapSize = getOwnPropertyDescriptor(Map.prototype, 'size')!.get!;
  const indexOf = String.prototype.indexOf, slice = String.prototype.slice;

  const FLUSH_BYTES = 65536;
  const IDLE_MS = 2;
  // A long synchronous stretch sends its calls as it makes them, in batches of this many calls or
  // inputs this large: the host and the client work on the first while the cell makes the rest,
  // or computes after making them.
  const CALL_BATCH_CALLS = 256;
  const CALL_BATCH_BYTES = 65536;
  const MAX_TIMERS = constants.maxPendingTimers;
  const ITEM_OVERHEAD = constants.itemOverheadBytes;
  const BOOTSTRAP_FILENAME = constants.filename;
  const DETAILS: ReadonlyArray<string | undefined> = ['auto', 'low', 'high', 'original'];
  // The raster types a client can render without running anything; the host re-checks every item
  // it forwards (server/cells/outputItems.ts), so this is only for a clear error in JavaScript.
  const RASTER_IMAGE = new RegExp('^data:image/(?:png|jpeg|gif|webp|avif|bmp);base64,', 'i');
  // Thrown by exit() to unwind the cell; nothing else can produce this object.
  const EXIT = freeze(new ErrorCtor('exit() called'));

  // Errors the helpers throw carry no helper frames (trimStack is hoisted).
  const fail = (message: string): Error => {
    const error = new ErrorCtor(message);
    const stack = error.stack;
    if (typeof stack === 'string') error.stack = trimStack(stack);
    return error;
  };
  // A helper as the cell sees it: its source does not show in toString() (a bound function prints as
  // native code), and its name stays the helper's.
  const bind = Function.prototype.bind;
  const hide = <F extends (...args: never[]) => unknown>(fn: F, name: string): F => {
    const bound = apply(bind, fn, [undefined]) as F;
    defineProperty(bound, 'name', { value: name });
    return bound;
  };
  // Null prototypes: isolated-vm must not read transfer options (reference, externalCopy...) that
  // the cell planted on Object.prototype, or a host object could cross as a Reference.
  const COPY_ARGUMENTS: CopyArguments = freeze({ __proto__: null, arguments: freeze({ __proto__: null, copy: true } as const) } as const);
  // Appends as an own property: `array[n] = v` and push() would call a setter the cell put on
  // Array.prototype (and could drop or replace the value).
  const append = <T>(array: T[], value: T): void => {
    defineProperty(array, array.length, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
  };

  // ---- error text -------------------------------------------------------------------------
  // With captured string methods: it runs while answers are settled, which the cell must not stop.
  function trimStack(stack: string): string {
    let out = '';
    for (let start = 0; start <= stack.length; ) {
      let end = apply(indexOf, stack, ['\n', start]) as number;
      if (end === -1) end = stack.length;
      const line = apply(slice, stack, [start, end]) as string;
      if ((apply(indexOf, line, [BOOTSTRAP_FILENAME]) as number) === -1) out += (out === '' ? '' : '\n') + line;
      start = end + 1;
    }
    return out;
  }
  function isPlainObject(value: object): boolean {
    const proto: unknown = getPrototypeOf(value);
    return proto === null || proto === ObjectProto;
  }
  function errorText(error: unknown): string {
    try {
      if (typeof error === 'string') return error;
      if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
        const stack: unknown = (error as { stack?: unknown }).stack;
        if (typeof stack === 'string') return trimStack(stack);
        if (isPlainObject(error)) {
          const json = stringify(error) as string | undefined;
          if (typeof json === 'string') return json;
        }
      }
      return StringCtor(error);
    } catch {
      return 'uncaught exception (its text could not be computed)';
    }
  }

  // ---- output batching --------------------------------------------------------------------
  let maxOutputBytes = 0;
  let pending: OutputItem[] = [];
  let pendingBytes = 0;
  let droppedBytes = 0;
  let lastFlush = -Infinity;
  let flushQueued = false;

  function flushOutput(): void {
    if (pending.length === 0 && droppedBytes === 0) return;
    const items = pending, dropped = droppedBytes;
    pending = [];
    pendingBytes = 0;
    droppedBytes = 0;
    lastFlush = now();
    // Blocks while the host is not draining this cell's output (backpressure).
    hostOutput.applySyncPromise(undefined, [stringify(items), dropped]);
  }
  function queuedFlush(): void {
    flushQueued = false;
    flushOutput();
  }
  function emit(item: OutputItem, bytes: number): void {
    // Calls made before this item reach the host before it.
    flushCalls();
    // Items are bounded by count too (maxOutputBytes / ITEM_OVERHEAD), or empty ones would be free.
    if (pendingBytes + bytes > maxOutputBytes || pending.length * ITEM_OVERHEAD >= maxOutputBytes) droppedBytes += bytes;
    else {
      pending[pending.length] = item;
      pendingBytes += bytes;
    }
    if (now() - lastFlush >= IDLE_MS || pendingBytes >= FLUSH_BYTES) flushOutput();
    else if (!flushQueued) {
      flushQueued = true;
      apply(then, resolved, [queuedFlush]);
    }
  }

  // ---- tool call batching -----------------------------------------------------------------
  // The calls a cell makes in one synchronous stretch cross to the host as one batch when that
  // stretch ends (a long stretch's in batches as it makes them), and their answers come back in
  // batches through answer(). Each call keeps its own promise, settled by its own answer, found by
  // id in a map the cell cannot reach.
  const waiting = new MapCtor<number, Waiting>();
  // The calls not yet sent, in the columns of a ToolCallBatch.
  let outgoingIds: number[] = [], outgoingNames: string[] = [], outgoingInputs: Array<string | undefined> = [];
  let outgoingBytes = 0;
  let nextCallId = 0;
  // Calls of the current cell made and not yet answered; reset by each start().
  let pendingTools = 0;

  function flushCalls(): void {
    if (outgoingIds.length === 0) return;
    const batch: [number[], string[], Array<string | undefined>] = [outgoingIds, outgoingNames, outgoingInputs];
    outgoingIds = [];
    outgoingNames = [];
    outgoingInputs = [];
    outgoingBytes = 0;
    // Copied before it returns; the host answers later.
    hostToolCalls.applyIgnored(undefined, [batch], COPY_ARGUMENTS);
  }
  // Runs once the current job's microtasks before it have run. `await` of a non-promise reads
  // nothing the cell can replace (then() would look up the promise's species), so the cell cannot
  // keep a batch from leaving.
  async function flushCallsAtJobEnd(): Promise<void> {
    await undefined;
    try {
      flushCalls();
    } catch (error) {
      failCurrent(error);
    }
  }
  // Everything the cell sent so far reaches the host, in the order it was made.
  function flush(): void {
    flushCalls();
    flushOutput();
  }
  function queueCall(jsName: string, inputJson: string | undefined): Promise<unknown> {
    const id = ++nextCallId;
    const answered = new PromiseCtor<unknown>((resolve, reject) => {
      apply(mapSet, waiting, [id, { resolve, reject }]);
    });
    if (outgoingIds.length === 0) void flushCallsAtJobEnd();
    append(outgoingIds, id);
    append(outgoingNames, jsName);
    append(outgoingInputs, inputJson);
    pendingTools++;
    if (inputJson !== undefined) outgoingBytes += inputJson.length;
    if (outgoingIds.length >= CALL_BATCH_CALLS || outgoingBytes >= CALL_BATCH_BYTES) flushCalls();
    return outcomeOf(answered);
  }
  // The promise the caller gets. A failed call's Error is made while this function resumes, so V8
  // gives its stack the frames of the cell awaiting it (`at async cell-1.js:3:1`). With its own
  // `constructor`, `answered` is awaited without reading anything the cell can replace.
  async function outcomeOf(answered: Promise<unknown>): Promise<unknown> {
    defineProperty(answered, 'constructor', { __proto__: null, value: PromiseCtor } as PropertyDescriptor);
    try {
      return await answered;
    } catch (message) {
      throw fail(message as string);
    }
  }
  function settleAnswers(ids: readonly number[], kinds: string, values: readonly unknown[], strings: readonly string[]): void {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const call = apply(mapGet, waiting, [id]) as Waiting | undefined;
      // A call of a cell that has ended: it never settles.
      if (call === undefined) continue;
      apply(mapDelete, waiting, [id]);
      pendingTools--;
      // Neither resolve() nor reject() throws or runs code of the cell (outcomeOf awaits them).
      const kind = kinds[i];
      if (kind === 'e') call.reject(values[i] as string);
      else call.resolve(kind === 't' ? strings[values[i] as number] : values[i]);
    }
  }

  // ---- value conversion -------------------------------------------------------------------
  function toText(value: unknown): string {
    if (typeof value === 'string') return value;
    if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
      const json = stringify(value) as string | undefined;
      if (typeof json === 'string') return json;
    }
    return StringCtor(value);
  }
  function joinArgs(args: unknown[]): string {
    let out = '';
    for (let i = 0; i < args.length; i++) out += (i === 0 ? '' : ' ') + toText(args[i]);
    return out;
  }
  function keyString(key: unknown, helper: string): string {
    if (typeof key === 'symbol') throw fail(helper + ' key must be a string');
    return StringCtor(key);
  }

  // ---- helpers ----------------------------------------------------------------------------
  const text = (value: unknown): void => {
    const t = toText(value);
    emit({ type: 'text', text: t }, t.length);
  };

  const IMAGE_SHAPES = 'image expects a data: URL string, an object with imageUrl (or image_url) and optional detail, or an MCP image block {type: "image", data, mimeType}';
  function imageUrlOf(value: unknown): [string, unknown] {
    if (typeof value === 'string') return [value, undefined];
    if (value === null || typeof value !== 'object' || isArray(value)) throw fail(IMAGE_SHAPES);
    const shape = value as Record<string, unknown>;
    const url = shape.imageUrl !== undefined ? shape.imageUrl : shape.image_url;
    if (url !== undefined) {
      if (typeof url !== 'string') throw fail('image expects imageUrl to be a string');
      return [url, shape.detail];
    }
    if (shape.type === undefined) throw fail(IMAGE_SHAPES);
    if (shape.type !== 'image') throw fail('image only accepts MCP image blocks, got ' + stringify(StringCtor(shape.type)));
    const data = shape.data;
    if (typeof data !== 'string' || data === '') throw fail('image expects MCP image data as a non-empty base64 string');
    if (data.startsWith('data:')) return [data, undefined];
    const mime = shape.mimeType !== undefined ? shape.mimeType : shape.mime_type;
    return ['data:' + (typeof mime === 'string' && mime !== '' ? mime : 'application/octet-stream') + ';base64,' + data, undefined];
  }
  function detailOf(detail: unknown): string | undefined {
    if (detail === undefined || detail === null) return undefined;
    const lower = typeof detail === 'string' ? detail.toLowerCase() : undefined;
    if (DETAILS.indexOf(lower) === -1) throw fail('image detail must be one of: auto, low, high, original');
    return lower;
  }
  const image = (value: unknown, detail?: unknown): void => {
    const [url, itemDetail] = imageUrlOf(value);
    if (!/^data:/i.test(url)) {
      throw fail(/^https?:/i.test(url)
        ? 'image does not accept remote URLs: pass a base64 data: URL instead'
        : 'image expects a data: URL (data:<mime type>;base64,<data>)');
    }
    if (!RASTER_IMAGE.test(url)) {
      const type = url.slice(5, 85).split(/[;,]/)[0];
      throw fail('image accepts only base64 data: URLs of raster images, not ' + stringify(type) + ': use png, jpeg, gif, webp, avif or bmp');
    }
    const d = detailOf(detail !== undefined && detail !== null ? detail : itemDetail);
    emit(d === undefined ? { type: 'image', imageUrl: url } : { type: 'image', imageUrl: url, detail: d }, url.length);
  };

  const logMethod = (name: string) => hide((...args: unknown[]) => {
    const t = joinArgs(args);
    emit({ type: 'text', text: t }, t.length);
  }, name);
  const console = freeze({ log: logMethod('log'), info: logMethod('info'), debug: logMethod('debug'), warn: logMethod('warn'), error: logMethod('error') });

  const store = (key: unknown, value: unknown): void => {
    const k = keyString(key, 'store');
    const json = stringify(value) as string | undefined;
    if (typeof json !== 'string') throw fail('Unable to store ' + stringify(k) + '. Only plain serializable values can be stored.');
    const refusal = hostStore.applySyncPromise(undefined, [k, json]);
    if (refusal !== null) throw fail(refusal);
  };
  const load = (key: unknown): unknown => {
    const json = hostLoad.applySyncPromise(undefined, [keyString(key, 'load')]);
    return json === undefined ? undefined : parse(json);
  };

  const notify = (value: unknown): void => {
    const t = toText(value);
    if (t.trim() === '') throw fail('notify expects non-empty text');
    flush();
    // Blocks while the cell has too many unanswered notifications.
    hostNotify.applySyncPromise(undefined, [t]);
  };

  const yield_control = (): void => {
    flush();
    hostYield.applySync(undefined, []);
  };

  const exit = (): never => {
    flush();
    hostExit.applySync(undefined, []);
    throw EXIT;
  };

  // ---- timers -----------------------------------------------------------------------------
  const timers = new MapCtor<number, () => unknown>();
  let nextTimerId = 0;
  const setTimeout = (callback: unknown, delayMs?: unknown): number => {
    if (typeof callback !== 'function') throw fail('setTimeout expects a function callback');
    const n = +(delayMs as number);
    const delay = n > 0 && n !== Infinity ? n - (n % 1) : 0;
    if ((apply(mapSize, timers, []) as number) >= MAX_TIMERS) throw fail('setTimeout: a cell may have at most ' + MAX_TIMERS + ' pending timers');
    const id = ++nextTimerId;
    apply(mapSet, timers, [id, callback]);
    hostSetTimer.applySync(undefined, [id, delay]);
    return id;
  };
  const clearTimeout = (id: unknown): void => {
    if (id === undefined || id === null) return;
    const n = +(id as number);
    if (apply(mapDelete, timers, [n])) hostClearTimer.applySync(undefined, [n]);
  };

  // ---- the cell's run ---------------------------------------------------------------------
  // A persistent realm runs many cells, one at a time; each start() begins a generation. Work of an
  // earlier cell that outlives it (a tool call's answer, a late settle) must not touch the next one.
  let generation = 0;
  let failCurrent = (_error: unknown): void => {};
  function runOf(resolve: (text: string | null) => void): Run {
    let settled = false;
    const settleWith = (text: string | null): void => {
      if (settled) return;
      settled = true;
      try {
        flush();
      } catch (flushError) {
        if (text === null) text = errorText(flushError);
      }
      // The cell is over now, not at the next start(): the next cell's compile also runs the
      // isolate's pending tasks, and a late tool answer or timer of this cell must not reach it.
      generation++;
      apply(mapClear, timers, []);
      apply(mapClear, waiting, []);
      resolve(text);
    };
    return { settleWith, failWith: (error: unknown) => settleWith(error === EXIT ? null : errorText(error)) };
  }

  // ---- persistent cells -------------------------------------------------------------------
  // What realm/transform.ts makes a persistent cell call: top-level declarations become configurable
  // globals, so a later cell can declare them again. Built-ins stay non-configurable.
  function declareOne(name: string): void {
    const existing = getOwnPropertyDescriptor(globalThis, name);
    if (existing !== undefined && !existing.configurable) {
      if (existing.writable) return;
      throw new TypeErrorCtor('Cannot declare ' + name + ': it is a read-only global of the sandbox');
    }
    const value: unknown = existing !== undefined && hasOwn(existing, 'value') ? existing.value : undefined;
    defineProperty(globalThis, name, { __proto__: null, value, writable: true, enumerable: true, configurable: true } as PropertyDescriptor);
  }
  const persistHelper: PersistHelper = freeze({
    __proto__: null,
    declare(...names: string[]) {
      for (let i = 0; i < names.length; i++) declareOne(names[i]!);
    },
    seal(...names: string[]) {
      for (let i = 0; i < names.length; i++) {
        defineProperty(globalThis, names[i]!, { __proto__: null, writable: false } as PropertyDescriptor);
      }
    },
    define(name: string, value: unknown) {
      declareOne(name);
      defineProperty(globalThis, name, { __proto__: null, value } as PropertyDescriptor);
    },
  });

  function defineGlobal(name: string, value: unknown): void {
    if (typeof value === 'function') value = hide(value as (...args: never[]) => unknown, name);
    defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
  }
  let currentTools: object = freeze({ __proto__: null }), currentToolList: readonly object[] = freeze([]);
  function installTools(tools: BootstrapConfig['tools'], maxPendingToolCalls: number, toolGeneration: number): void {
    const table = {};
    const list: object[] = [];
    const refused = 'cell exceeded its limit of ' + maxPendingToolCalls + ' pending tool calls (maxPendingToolCalls); await some before calling more';
    for (let i = 0; i < tools.length; i++) {
      const jsName = tools[i]!.jsName;
      const call = (input?: unknown): Promise<unknown> => {
        // A tool of an earlier cell of a persistent realm, kept in a variable: that cell has ended.
        if (toolGeneration !== generation) return new PromiseCtor(() => {});
        if (pendingTools >= maxPendingToolCalls) return apply(then, resolved, [() => { throw fail(refused); }]) as Promise<unknown>;
        const inputJson = input === undefined || typeof input === 'function' ? undefined : (stringify(input) as string | undefined);
        flushOutput();
        return queueCall(jsName, inputJson);
      };
      // Defined, not assigned: a tool named __proto__ is an own property, not the table's prototype.
      defineProperty(table, jsName, { value: hide(call, jsName), writable: false, enumerable: true, configurable: false });
      list[i] = freeze({ name: jsName, description: tools[i]!.description });
    }
    currentTools = freeze(table);
    currentToolList = freeze(list);
  }
  // Accessors, so each cell of a persistent realm sees its own tools; still read-only and fixed.
  defineProperty(globalThis, 'tools', { get: hide(() => currentTools, 'tools'), enumerable: false, configurable: false });
  defineProperty(globalThis, 'ALL_TOOLS', { get: hide(() => currentToolList, 'ALL_TOOLS'), enumerable: false, configurable: false });

  deleteProperty(globalThis, 'console');
  deleteProperty(globalThis, 'WebAssembly');
  deleteProperty(globalThis, 'SharedArrayBuffer');
  deleteProperty(globalThis, 'Atomics');
  defineGlobal('text', text);
  defineGlobal('image', image);
  defineGlobal('console', console);
  defineGlobal('store', store);
  defineGlobal('load', load);
  defineGlobal('notify', notify);
  defineGlobal('yield_control', yield_control);
  defineGlobal('exit', exit);
  defineGlobal('setTimeout', setTimeout);
  defineGlobal('clearTimeout', clearTimeout);

  return {
    // A persistent cell's body gets the declaration helper and its return value is shown as its result.
    start(body: CellBody, configJson: string): Promise<string | null> {
      const config = parse(configJson) as BootstrapConfig;
      generation++;
      maxOutputBytes = config.maxOutputBytes;
      pending = [];
      pendingBytes = 0;
      droppedBytes = 0;
      pendingTools = 0;
      outgoingIds = [];
      outgoingNames = [];
      outgoingInputs = [];
      apply(mapClear, waiting, []);
      apply(mapClear, timers, []);
      installTools(config.tools, config.maxPendingToolCalls, generation);
      let run!: Run;
      const done = new PromiseCtor<string | null>((resolve) => { run = runOf(resolve); });
      failCurrent = run.failWith;
      const succeed = (value: unknown): void => {
        if (config.persistent && value !== undefined) {
          try {
            text(value);
          } catch (error) {
            run.failWith(error);
            return;
          }
        }
        run.settleWith(null);
      };
      try {
        apply(then, config.persistent ? body(persistHelper) : body(), [succeed, run.failWith]);
      } catch (error) {
        run.failWith(error);
      }
      return done;
    },
    // Parses the source as the body of a strict async function, as the Function constructor does
    // (V8 refuses a body that closes the function early).
    check(source: string): string | null {
      try {
        new AsyncFunction('"use strict";\n' + source);
        return null;
      } catch (error) {
        return StringCtor(error);
      }
    },
    // Results arrive as copies: the arrays and every value in them were made for this call.
    answer(answers: ToolAnswerBatch, ...strings: string[]): void {
      settleAnswers(answers[0], answers[1], answers[2], strings);
    },
    // A throw (other than exit's) fails the cell.
    fire(id: number): void {
      const callback = apply(mapGet, timers, [id]) as (() => unknown) | undefined;
      if (callback === undefined) return;
      apply(mapDelete, timers, [id]);
      try {
        apply(callback, undefined, []);
      } catch (error) {
        if (error !== EXIT) failCurrent(error);
      }
    },
  };
}

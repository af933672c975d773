/**
 * The in-isolate half of the sandbox: JavaScript source run once per isolate, before any cell.
 *
 * It receives the host bridge functions as `$0..$8` (evalClosure parameters, never globals),
 * captures them in closures, installs the cell globals of PROTOCOL.md section 5 and returns
 * `{ start, fire }` to the host, which holds them as References the cell cannot reach.
 * It runs in strict mode, so V8 CallSites (Error.prepareStackTrace) expose neither its
 * functions nor its receivers.
 */

/** Shown in stack frames of helper code; the error text drops frames with this name. */
export const BOOTSTRAP_FILENAME = 'codemode:bootstrap';

/** Pending host timers one cell may hold. */
export const MAX_PENDING_TIMERS = 1024;

/** Order of the host bridge functions passed as `$0..$8`. */
export const BRIDGE_ORDER = [
  'output',
  'yieldControl',
  'toolCall',
  'notify',
  'store',
  'load',
  'setTimer',
  'clearTimer',
  'exit',
] as const;

/** What `start(body, config)` receives as its JSON config. */
export interface BootstrapConfig {
  tools: ReadonlyArray<{ jsName: string; description: string }>;
  maxOutputBytes: number;
  /** Past it a tool call is refused in the isolate, without crossing to the host. */
  maxPendingToolCalls: number;
  /** A cell of a persistent realm (compiled by realm/transform.ts). */
  persistent: boolean;
}

/** Output holds at most maxOutputBytes / ITEM_OVERHEAD_BYTES items, so that empty items are not free. */
export const ITEM_OVERHEAD_BYTES = 32;

export const BOOTSTRAP_SOURCE = String.raw`"use strict";
const hostOutput = $0, hostYield = $1, hostTool = $2, hostNotify = $3, hostStore = $4,
  hostLoad = $5, hostSetTimer = $6, hostClearTimer = $7, hostExit = $8;

// Intrinsics captured before any cell code can replace them.
const stringify = JSON.stringify, parse = JSON.parse, now = Date.now, apply = Reflect.apply;
const freeze = Object.freeze, defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;
const isArray = Array.isArray, ObjectProto = Object.prototype, ErrorCtor = Error, StringCtor = String;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor, hasOwn = Object.hasOwn;
const mapClear = Map.prototype.clear, PromiseCtor = Promise, TypeErrorCtor = TypeError;
const then = Promise.prototype.then, resolved = Promise.resolve();
const AsyncFunction = getPrototypeOf(async function () {}).constructor;
const MapCtor = Map, mapGet = Map.prototype.get, mapSet = Map.prototype.set, mapDelete = Map.prototype.delete;
const mapSize = Object.getOwnPropertyDescriptor(Map.prototype, 'size').get;

const FLUSH_BYTES = 65536;
const IDLE_MS = 2;
const MAX_TIMERS = ${MAX_PENDING_TIMERS};
const ITEM_OVERHEAD = ${ITEM_OVERHEAD_BYTES};
const BOOTSTRAP_FILENAME = ${JSON.stringify(BOOTSTRAP_FILENAME)};
const DETAILS = ['auto', 'low', 'high', 'original'];
// The raster types a client can render without running anything; the host re-checks every item
// it forwards (server/cells/outputItems.ts), so this is only for a clear error in JavaScript.
const RASTER_IMAGE = new RegExp('^data:image/(?:png|jpeg|gif|webp|avif|bmp);base64,', 'i');
// Thrown by exit() to unwind the cell; nothing else can produce this object.
const EXIT = freeze(new ErrorCtor('exit() called'));

// Errors the helpers throw carry no helper frames (trimStack is hoisted).
const fail = (message) => {
  const error = new ErrorCtor(message);
  const stack = error.stack;
  if (typeof stack === 'string') error.stack = trimStack(stack);
  return error;
};
// A helper as the cell sees it: its source does not show in toString() (a bound function prints as
// native code), and its name stays the helper's.
const bind = Function.prototype.bind;
const hide = (fn, name) => {
  const bound = apply(bind, fn, [undefined]);
  defineProperty(bound, 'name', { value: name });
  return bound;
};
// Null prototypes: isolated-vm must not read transfer options (reference, externalCopy...) that
// the cell planted on Object.prototype, or a host object could cross as a Reference.
const TOOL_CALL_OPTIONS = freeze({ __proto__: null, result: freeze({ __proto__: null, promise: true, copy: true }) });

// ---- error text -------------------------------------------------------------------------
function trimStack(stack) {
  const lines = stack.split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].indexOf(BOOTSTRAP_FILENAME) !== -1) continue;
    out += (out === '' ? '' : '\n') + lines[i];
  }
  return out;
}
function isPlainObject(value) {
  const proto = getPrototypeOf(value);
  return proto === null || proto === ObjectProto;
}
function errorText(error) {
  try {
    if (typeof error === 'string') return error;
    if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
      const stack = error.stack;
      if (typeof stack === 'string') return trimStack(stack);
      if (isPlainObject(error)) {
        const json = stringify(error);
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
let pending = [];
let pendingBytes = 0;
let droppedBytes = 0;
let lastFlush = -Infinity;
let flushQueued = false;

function flush() {
  if (pending.length === 0 && droppedBytes === 0) return;
  const items = pending, dropped = droppedBytes;
  pending = [];
  pendingBytes = 0;
  droppedBytes = 0;
  lastFlush = now();
  // Blocks while the host is not draining this cell's output (backpressure).
  hostOutput.applySyncPromise(undefined, [stringify(items), dropped]);
}
function queuedFlush() {
  flushQueued = false;
  flush();
}
function emit(item, bytes) {
  // Items are bounded by count too (maxOutputBytes / ITEM_OVERHEAD), or empty ones would be free.
  if (pendingBytes + bytes > maxOutputBytes || pending.length * ITEM_OVERHEAD >= maxOutputBytes) droppedBytes += bytes;
  else {
    pending[pending.length] = item;
    pendingBytes += bytes;
  }
  if (now() - lastFlush >= IDLE_MS || pendingBytes >= FLUSH_BYTES) flush();
  else if (!flushQueued) {
    flushQueued = true;
    apply(then, resolved, [queuedFlush]);
  }
}

// ---- value conversion -------------------------------------------------------------------
function toText(value) {
  if (typeof value === 'string') return value;
  if (value !== null && (typeof value === 'object' || typeof value === 'function')) {
    const json = stringify(value);
    if (typeof json === 'string') return json;
  }
  return StringCtor(value);
}
function joinArgs(args) {
  let out = '';
  for (let i = 0; i < args.length; i++) out += (i === 0 ? '' : ' ') + toText(args[i]);
  return out;
}
function keyString(key, helper) {
  if (typeof key === 'symbol') throw fail(helper + ' key must be a string');
  return StringCtor(key);
}

// ---- helpers ----------------------------------------------------------------------------
const text = (value) => {
  const t = toText(value);
  emit({ type: 'text', text: t }, t.length);
};

const IMAGE_SHAPES = 'image expects a data: URL string, an object with imageUrl (or image_url) and optional detail, or an MCP image block {type: "image", data, mimeType}';
function imageUrlOf(value) {
  if (typeof value === 'string') return [value, undefined];
  if (value === null || typeof value !== 'object' || isArray(value)) throw fail(IMAGE_SHAPES);
  const url = value.imageUrl !== undefined ? value.imageUrl : value.image_url;
  if (url !== undefined) {
    if (typeof url !== 'string') throw fail('image expects imageUrl to be a string');
    return [url, value.detail];
  }
  if (value.type === undefined) throw fail(IMAGE_SHAPES);
  if (value.type !== 'image') throw fail('image only accepts MCP image blocks, got ' + stringify(StringCtor(value.type)));
  const data = value.data;
  if (typeof data !== 'string' || data === '') throw fail('image expects MCP image data as a non-empty base64 string');
  if (data.startsWith('data:')) return [data, undefined];
  const mime = value.mimeType !== undefined ? value.mimeType : value.mime_type;
  return ['data:' + (typeof mime === 'string' && mime !== '' ? mime : 'application/octet-stream') + ';base64,' + data, undefined];
}
function detailOf(detail) {
  if (detail === undefined || detail === null) return undefined;
  const lower = typeof detail === 'string' ? detail.toLowerCase() : undefined;
  if (DETAILS.indexOf(lower) === -1) throw fail('image detail must be one of: auto, low, high, original');
  return lower;
}
const image = (value, detail) => {
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

const logMethod = (name) => hide((...args) => {
  const t = joinArgs(args);
  emit({ type: 'text', text: t }, t.length);
}, name);
const console = freeze({ log: logMethod('log'), info: logMethod('info'), debug: logMethod('debug'), warn: logMethod('warn'), error: logMethod('error') });

const store = (key, value) => {
  const k = keyString(key, 'store');
  const json = stringify(value);
  if (typeof json !== 'string') throw fail('Unable to store ' + stringify(k) + '. Only plain serializable values can be stored.');
  const refusal = hostStore.applySyncPromise(undefined, [k, json]);
  if (refusal !== null) throw fail(refusal);
};
const load = (key) => {
  const json = hostLoad.applySyncPromise(undefined, [keyString(key, 'load')]);
  return json === undefined ? undefined : parse(json);
};

const notify = (value) => {
  const t = toText(value);
  if (t.trim() === '') throw fail('notify expects non-empty text');
  flush();
  // Blocks while the cell has too many unanswered notifications.
  hostNotify.applySyncPromise(undefined, [t]);
};

const yield_control = () => {
  flush();
  hostYield.applySync(undefined, []);
};

const exit = () => {
  flush();
  hostExit.applySync(undefined, []);
  throw EXIT;
};

// ---- timers -----------------------------------------------------------------------------
const timers = new MapCtor();
let nextTimerId = 0;
const setTimeout = (callback, delayMs) => {
  if (typeof callback !== 'function') throw fail('setTimeout expects a function callback');
  const n = +delayMs;
  const delay = n > 0 && n !== Infinity ? n - (n % 1) : 0;
  if (apply(mapSize, timers, []) >= MAX_TIMERS) throw fail('setTimeout: a cell may have at most ' + MAX_TIMERS + ' pending timers');
  const id = ++nextTimerId;
  apply(mapSet, timers, [id, callback]);
  hostSetTimer.applySync(undefined, [id, delay]);
  return id;
};
const clearTimeout = (id) => {
  if (id === undefined || id === null) return;
  const n = +id;
  if (apply(mapDelete, timers, [n])) hostClearTimer.applySync(undefined, [n]);
};

// ---- the cell's run ---------------------------------------------------------------------
// A persistent realm runs many cells, one at a time; each start() begins a generation. Work of an
// earlier cell that outlives it (a tool call's answer, a late settle) must not touch the next one.
let generation = 0;
let failCurrent = () => {};
function runOf(resolve) {
  let settled = false;
  const settleWith = (text) => {
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
    resolve(text);
  };
  return { settleWith, failWith: (error) => settleWith(error === EXIT ? null : errorText(error)) };
}

// ---- persistent cells -------------------------------------------------------------------
// What realm/transform.ts makes a persistent cell call: top-level declarations become configurable
// globals, so a later cell can declare them again. Built-ins stay non-configurable.
function declareOne(name) {
  const existing = getOwnPropertyDescriptor(globalThis, name);
  if (existing !== undefined && !existing.configurable) {
    if (existing.writable) return;
    throw new TypeErrorCtor('Cannot declare ' + name + ': it is a read-only global of the sandbox');
  }
  const value = existing !== undefined && hasOwn(existing, 'value') ? existing.value : undefined;
  defineProperty(globalThis, name, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}
const persistHelper = freeze({
  __proto__: null,
  declare(...names) {
    for (let i = 0; i < names.length; i++) declareOne(names[i]);
  },
  seal(...names) {
    for (let i = 0; i < names.length; i++) {
      defineProperty(globalThis, names[i], { __proto__: null, writable: false });
    }
  },
  define(name, value) {
    declareOne(name);
    defineProperty(globalThis, name, { __proto__: null, value });
  },
});

function defineGlobal(name, value) {
  if (typeof value === 'function') value = hide(value, name);
  defineProperty(globalThis, name, { value, writable: false, enumerable: false, configurable: false });
}
let currentTools = freeze({ __proto__: null }), currentToolList = freeze([]);
// Tool calls of the current cell not yet answered; reset by each start().
let pendingTools = 0;
function installTools(tools, maxPendingToolCalls, toolGeneration) {
  const table = {};
  const list = [];
  const refused = 'cell exceeded its limit of ' + maxPendingToolCalls + ' pending tool calls (maxPendingToolCalls); await some before calling more';
  const settled = (outcome) => {
    // The cell that called ended: its unawaited call ends with it and never settles.
    if (toolGeneration !== generation) return new PromiseCtor(() => {});
    pendingTools--;
    if (outcome[0] !== true) throw fail(outcome[1]);
    // Already a fresh copy: the host's result crossed by structured clone (copy: true).
    return outcome[1];
  };
  for (let i = 0; i < tools.length; i++) {
    const jsName = tools[i].jsName;
    const call = (input) => {
      // A tool of an earlier cell of a persistent realm, kept in a variable: that cell has ended.
      if (toolGeneration !== generation) return new PromiseCtor(() => {});
      if (pendingTools >= maxPendingToolCalls) return apply(then, resolved, [() => { throw fail(refused); }]);
      const inputJson = input === undefined || typeof input === 'function' ? undefined : stringify(input);
      flush();
      pendingTools++;
      return apply(then, hostTool.apply(undefined, [jsName, inputJson], TOOL_CALL_OPTIONS), [settled]);
    };
    // Defined, not assigned: a tool named __proto__ is an own property, not the table's prototype.
    defineProperty(table, jsName, { value: hide(call, jsName), writable: false, enumerable: true, configurable: false });
    list[i] = freeze({ name: jsName, description: tools[i].description });
  }
  currentTools = freeze(table);
  currentToolList = freeze(list);
}
// Accessors, so each cell of a persistent realm sees its own tools; still read-only and fixed.
defineProperty(globalThis, 'tools', { get: hide(() => currentTools, 'tools'), enumerable: false, configurable: false });
defineProperty(globalThis, 'ALL_TOOLS', { get: hide(() => currentToolList, 'ALL_TOOLS'), enumerable: false, configurable: false });

delete globalThis.console;
delete globalThis.WebAssembly;
delete globalThis.SharedArrayBuffer;
delete globalThis.Atomics;
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
  // Runs the compiled cell body; resolves with null on success or the error text. A persistent
  // cell's body gets the declaration helper and its return value is shown as its result.
  start(body, configJson) {
    const config = parse(configJson);
    generation++;
    maxOutputBytes = config.maxOutputBytes;
    pending = [];
    pendingBytes = 0;
    droppedBytes = 0;
    pendingTools = 0;
    apply(mapClear, timers, []);
    installTools(config.tools, config.maxPendingToolCalls, generation);
    let run;
    const done = new PromiseCtor((resolve) => { run = runOf(resolve); });
    failCurrent = run.failWith;
    const succeed = (value) => {
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
  // (V8 refuses a body that closes the function early); returns null or the error text.
  check(source) {
    try {
      new AsyncFunction('"use strict";\n' + source);
      return null;
    } catch (error) {
      return StringCtor(error);
    }
  },
  // Runs timer id's callback; a throw (other than exit's) fails the cell.
  fire(id) {
    const callback = apply(mapGet, timers, [id]);
    if (callback === undefined) return;
    apply(mapDelete, timers, [id]);
    try {
      apply(callback, undefined, []);
    } catch (error) {
      if (error !== EXIT) failCurrent(error);
    }
  },
};
`;

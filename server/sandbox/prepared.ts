/**
 * An isolate and context with the bootstrap installed, ready for one cell.
 * The bridge functions given to the bootstrap close over a mutable slot, so an isolate can be
 * prepared (and pooled) before the cell it will serve is known.
 */
import ivm from 'isolated-vm';
import type { Logger } from '../log.js';
import { messageOf } from './errors.js';
import { BOOTSTRAP_FILENAME, BOOTSTRAP_SOURCE, BRIDGE_ORDER } from './bootstrap.js';

/** The host side of the bridge, bound to one cell. Names and order match BRIDGE_ORDER. */
export interface CellBinding {
  output(itemsJson: string, droppedBytes: number): void;
  yieldControl(): void;
  /** Resolves `[true, result]` or `[false, message]`; never rejects (isolated-vm #314). */
  toolCall(jsName: string, inputJson: string | undefined): Promise<[true, unknown] | [false, string]>;
  notify(text: string): void;
  store(key: string, json: string): string | null;
  load(key: string): string | undefined;
  setTimer(id: number, delayMs: number): void;
  clearTimer(id: number): void;
  exit(): void;
}

export interface PreparedIsolate {
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly heapLimitMb: number;
  /** The cell this isolate serves; null before it is taken and after the cell ended. */
  slot: { binding: CellBinding | null };
  /** Bootstrap `start(body, configJson)`: resolves with null or the cell's error text. */
  readonly start: ivm.Reference<(body: unknown, configJson: string) => unknown>;
  /** Bootstrap `fire(timerId)`. */
  readonly fire: ivm.Reference<(id: number) => void>;
}

const ENDED = 'the cell has ended';

/**
 * Bridge functions that forward to whatever cell the slot holds, and do nothing once it is empty.
 * A host-side throw reaches the cell as a plain Error with its message only: host stacks stay here.
 */
function bridge(slot: PreparedIsolate['slot'], logger: Logger): Array<(...args: unknown[]) => unknown> {
  const unbound: CellBinding = {
    output() {},
    yieldControl() {},
    toolCall: async () => [false, ENDED],
    notify() {},
    store: () => ENDED,
    load: () => undefined,
    setTimer() {},
    clearTimer() {},
    exit() {},
  };
  return BRIDGE_ORDER.map((name) => (...args: unknown[]) => {
    const binding = slot.binding ?? unbound;
    try {
      return Reflect.apply(binding[name], binding, args);
    } catch (error) {
      logger.error(`sandbox bridge ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      const visible = new Error(messageOf(error));
      visible.stack = `Error: ${visible.message}`;
      throw visible;
    }
  });
}

export async function prepareIsolate(heapLimitMb: number, logger: Logger): Promise<PreparedIsolate> {
  const isolate = new ivm.Isolate({
    memoryLimit: heapLimitMb,
    onCatastrophicError(message) {
      // V8 state is unknown after this; the client restarts a host that aborts.
      logger.error(`isolated-vm catastrophic error, aborting: ${message}`);
      process.abort();
    },
  });
  try {
    const context = await isolate.createContext();
    const slot: PreparedIsolate['slot'] = { binding: null };
    const api = await context.evalClosure(BOOTSTRAP_SOURCE, bridge(slot, logger), {
      filename: BOOTSTRAP_FILENAME,
      arguments: { reference: true },
      result: { reference: true },
    });
    const start = await api.get('start', { reference: true });
    const fire = await api.get('fire', { reference: true });
    api.release();
    return { isolate, context, heapLimitMb, slot, start, fire };
  } catch (error) {
    isolate.dispose();
    throw error;
  }
}

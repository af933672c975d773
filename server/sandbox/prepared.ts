/**
 * An isolate and context with the bootstrap installed, ready for one cell.
 * The bridge functions given to the bootstrap close over a mutable slot, so an isolate can be
 * prepared (and pooled) before the cell it will serve is known.
 */
import { writeSync } from 'node:fs';
import ivm from 'isolated-vm';
import type { Logger } from '../log.js';
import { messageOf } from './errors.js';
import { FATAL_PREFIX } from './messages.js';
import { BOOTSTRAP_FILENAME, BOOTSTRAP_SOURCE } from './bootstrap.js';
import { HOST_BRIDGE_NAMES, type BootstrapApi, type HostBridge } from './bridge.js';

export interface PreparedIsolate {
  readonly isolate: ivm.Isolate;
  readonly context: ivm.Context;
  readonly heapLimitMb: number;
  /** The cell this isolate serves; null before it is taken and after the cell ended. */
  slot: { binding: HostBridge | null };
  readonly start: ivm.Reference<BootstrapApi['start']>;
  readonly fire: ivm.Reference<BootstrapApi['fire']>;
  readonly check: ivm.Reference<BootstrapApi['check']>;
  readonly answer: ivm.Reference<BootstrapApi['answer']>;
}

const ENDED = 'the cell has ended';

/**
 * Bridge functions that forward to whatever cell the slot holds, and do nothing once it is empty.
 * A host-side throw reaches the cell as a plain Error with its message only: host stacks stay here.
 * In the order of HOST_BRIDGE_NAMES: evalClosure passes them as `$0..$n`, which BOOTSTRAP_SOURCE
 * gathers by the same list.
 */
function bridge(slot: PreparedIsolate['slot'], logger: Logger): Array<(...args: unknown[]) => unknown> {
  const unbound: HostBridge = {
    output: async () => {},
    yieldControl() {},
    toolCalls() {},
    notify: async () => {},
    store: async () => ENDED,
    load: async () => undefined,
    setTimer() {},
    clearTimer() {},
    exit() {},
  };
  return HOST_BRIDGE_NAMES.map((name) => (...args: unknown[]) => {
    const binding = slot.binding ?? unbound;
    const hidden = (error: unknown) => {
      logger.error(`sandbox bridge ${name} failed: ${error instanceof Error ? error.stack : String(error)}`);
      const visible = new Error(messageOf(error));
      visible.stack = `Error: ${visible.message}`;
      return visible;
    };
    try {
      const result: unknown = Reflect.apply(binding[name], binding, args);
      return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(hidden(error))) : result;
    } catch (error) {
      throw hidden(error);
    }
  });
}

export async function prepareIsolate(heapLimitMb: number, logger: Logger): Promise<PreparedIsolate> {
  const isolate = new ivm.Isolate({
    memoryLimit: heapLimitMb,
    onCatastrophicError(message) {
      // V8 state is unknown after this: the process must end now, without running more JavaScript.
      // In a sandbox process the supervisor reads this line as the cause and ends only its cells.
      writeSync(2, `${FATAL_PREFIX}${message}\n`);
      process.kill(process.pid, 'SIGKILL');
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
    const check = await api.get('check', { reference: true });
    const answer = await api.get('answer', { reference: true });
    api.release();
    return { isolate, context, heapLimitMb, slot, start, fire, check, answer };
  } catch (error) {
    isolate.dispose();
    throw error;
  }
}

/**
 * warm_eval_inproc: what a cell costs isolated-vm when its isolate and context already exist, as a
 * persistent session's do: one compile and run of a trivial script in a warm context, its string
 * result copied out.
 */
// eslint-disable-next-line no-restricted-imports -- this floor measures isolated-vm itself, outside the host
import ivm from 'isolated-vm';
import type { Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

export function warmEvalInproc(samples: number): Member<Timing> {
  return {
    name: 'warm_eval_inproc',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    async open() {
      const isolate = new ivm.Isolate({ memoryLimit: 128 });
      try {
        const context = await isolate.createContext();
        let n = 0;
        const once = () =>
          timeMs(async () => {
            // A different source each time, as cells are: no compile cache hit.
            const result: unknown = await context.eval(`String(${n++} + 1)`);
            if (typeof result !== 'string') throw new Error(`unexpected result ${String(result)}`);
          });
        return { once, close: async () => isolate.dispose() };
      } catch (error) {
        isolate.dispose();
        throw error;
      }
    },
  };
}

/**
 * warm_eval_inproc: what a cell costs isolated-vm when its isolate and context already exist, as a
 * persistent session's do: one compile and run of a trivial script in a warm context, its string
 * result copied out.
 */
// eslint-disable-next-line no-restricted-imports -- this floor measures isolated-vm itself, outside the host
import ivm from 'isolated-vm';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

export async function warmEvalInproc(samples: number): Promise<Timing> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    let n = 0;
    // A different source each time, as cells are: no compile cache hit.
    return timing(
      await sampleMs(warmupFor(samples), samples, async () => {
        const result: unknown = await context.eval(`String(${n++} + 1)`);
        if (typeof result !== 'string') throw new Error(`unexpected result ${String(result)}`);
      }),
    );
  } finally {
    isolate.dispose();
  }
}

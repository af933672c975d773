/**
 * isolate_cell_inproc: what one cell costs isolated-vm itself, in this process: a fresh isolate,
 * a context, a trivial script run, its string result copied out, and the isolate disposed. The
 * async APIs are used, as the host must: the sync ones would block its event loop.
 */
// eslint-disable-next-line no-restricted-imports -- this floor measures isolated-vm itself, outside the host
import ivm from 'isolated-vm';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

async function freshCell(): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  const context = await isolate.createContext();
  const result: unknown = await context.eval('String(1 + 1)');
  if (result !== '2') throw new Error(`unexpected result ${String(result)}`);
  isolate.dispose();
}

export async function isolateCellInproc(samples: number): Promise<Timing> {
  return timing(await sampleMs(warmupFor(samples), samples, freshCell));
}

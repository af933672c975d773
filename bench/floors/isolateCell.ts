/**
 * isolate_cell_inproc: what one cell costs isolated-vm itself, in this process: a fresh isolate,
 * a context, a trivial script run, its string result copied out, and the isolate disposed. The
 * async APIs are used, as the host must: the sync ones would block its event loop.
 */
// eslint-disable-next-line no-restricted-imports -- this floor measures isolated-vm itself, outside the host
import ivm from 'isolated-vm';
import { selfContained, type Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

async function freshCell(): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    const result: unknown = await context.eval('String(1 + 1)');
    if (result !== '2') throw new Error(`unexpected result ${String(result)}`);
  } finally {
    isolate.dispose();
  }
}

export function isolateCellInproc(samples: number): Member<Timing> {
  return {
    name: 'isolate_cell_inproc',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    open: selfContained(() => timeMs(freshCell)),
  };
}

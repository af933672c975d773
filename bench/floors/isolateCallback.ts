/**
 * isolate_callback_inproc: what one awaited tool call costs isolated-vm itself, in this process:
 * code in an isolate awaiting an async host function, JSON text in and out, one call after
 * another. Each sample is the time between two consecutive arrivals at the host function, which
 * is one whole round: host answers, isolate resumes, isolate calls again.
 * isolate_callback_parallel_inproc: the same with PARALLEL_CALLS calls awaited at once
 * (`Promise.all`); each sample is one isolate's run divided by PARALLEL_CALLS.
 */
// eslint-disable-next-line no-restricted-imports -- this floor measures isolated-vm itself, outside the host
import ivm from 'isolated-vm';
import { PARALLEL_CALLS } from '../metrics/toolCalls.js';
import { selfContained, type Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

const CALLS_PER_RUN = 200;
const WARMUP_CALLS = 20;
const OPTIONS = '{ result: { promise: true, copy: true } }';

/** A fresh isolate, as each cell of tool_call_rtt has, awaiting CALLS_PER_RUN measured calls after its own warm-up calls. */
async function run(): Promise<number[]> {
  const gaps: number[] = [];
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    let last: number | undefined;
    let calls = 0;
    const host = new ivm.Reference(async (inputJson: string) => {
      const now = performance.now();
      if (last !== undefined && ++calls > WARMUP_CALLS) gaps.push(now - last);
      last = now;
      return JSON.stringify({ result: JSON.parse(inputJson) as unknown });
    });
    await context.global.set('host', host);
    await context.eval(
      `(async () => { for (let i = 0; i < ${CALLS_PER_RUN + WARMUP_CALLS + 1}; i++) JSON.parse(await host.apply(undefined, [JSON.stringify(i)], ${OPTIONS})); })()`,
      { promise: true },
    );
  } finally {
    isolate.dispose();
  }
  return gaps;
}

/** `runs` isolates of CALLS_PER_RUN measured calls each; each warms itself up. */
export function isolateCallbackInproc(runs: number): Member<Timing> {
  return {
    name: 'isolate_callback_inproc',
    units: runs,
    warmup: 0,
    summarize: timing,
    open: selfContained(run),
  };
}

/** `runs` runs in one isolate, each awaiting PARALLEL_CALLS calls at once. */
export function isolateCallbackParallelInproc(runs: number): Member<Timing> {
  return {
    name: 'isolate_callback_parallel_inproc',
    units: runs,
    warmup: warmupFor(runs),
    summarize: timing,
    async open() {
      const isolate = new ivm.Isolate({ memoryLimit: 128 });
      try {
        const context = await isolate.createContext();
        const host = new ivm.Reference(async (inputJson: string) => JSON.stringify({ result: JSON.parse(inputJson) as unknown }));
        await context.global.set('host', host);
        const source = `Promise.all(Array.from({ length: ${PARALLEL_CALLS} }, async (_, i) => JSON.parse(await host.apply(undefined, [JSON.stringify(i)], ${OPTIONS})))).then(() => 0)`;
        return {
          once: async () => (await timeMs(() => context.eval(source, { promise: true }))) / PARALLEL_CALLS,
          close: async () => isolate.dispose(),
        };
      } catch (error) {
        isolate.dispose();
        throw error;
      }
    },
  };
}

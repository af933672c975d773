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
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

const CALLS_PER_RUN = 200;
const WARMUP_CALLS = 20;

async function run(gaps: number[]): Promise<void> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
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
  const options = '{ result: { promise: true, copy: true } }';
  await context.eval(
    `(async () => { for (let i = 0; i < ${CALLS_PER_RUN + WARMUP_CALLS + 1}; i++) JSON.parse(await host.apply(undefined, [JSON.stringify(i)], ${options})); })()`,
    { promise: true },
  );
  isolate.dispose();
}

/** `runs` isolates of CALLS_PER_RUN measured calls each. */
export async function isolateCallbackInproc(runs: number): Promise<Timing> {
  const gaps: number[] = [];
  for (let i = 0; i < runs; i++) await run(gaps);
  return timing(gaps);
}

/** `runs` isolates, each awaiting PARALLEL_CALLS calls at once. */
export async function isolateCallbackParallelInproc(runs: number): Promise<Timing> {
  const isolate = new ivm.Isolate({ memoryLimit: 128 });
  try {
    const context = await isolate.createContext();
    const host = new ivm.Reference(async (inputJson: string) => JSON.stringify({ result: JSON.parse(inputJson) as unknown }));
    await context.global.set('host', host);
    const options = '{ result: { promise: true, copy: true } }';
    const source = `Promise.all(Array.from({ length: ${PARALLEL_CALLS} }, async (_, i) => JSON.parse(await host.apply(undefined, [JSON.stringify(i)], ${options})))).then(() => 0)`;
    const times = await sampleMs(warmupFor(runs), runs, () => context.eval(source, { promise: true }));
    return timing(times.map((ms) => ms / PARALLEL_CALLS));
  } finally {
    isolate.dispose();
  }
}

/**
 * tool_call_rtt: per call, a cell awaiting 200 tool calls in sequence. Each sample is the time
 * between two consecutive calls arriving at the client's delegate: one whole round of answer →
 * host → isolate resumes → next call → host → client.
 * tool_call_parallel: per call, a cell awaiting 2000 calls at once (`Promise.all`); each sample is
 * one cell's execute time divided by 2000.
 */
import type { CodeModeSession } from '../../client/index.js';
import { TOOLS } from '../benchClient.js';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

export const SEQUENTIAL_CALLS = 200;
export const PARALLEL_CALLS = 2000;

const SEQUENTIAL = `for (let i = 0; i < ${SEQUENTIAL_CALLS}; i++) await tools.echo(i); text('done')`;
const PARALLEL = `await Promise.all(Array.from({ length: ${PARALLEL_CALLS} }, (_, i) => tools.echo(i))); text('done')`;

async function run(session: CodeModeSession, source: string): Promise<void> {
  const response = await session.execute({ source, tools: TOOLS, yieldTimeMs: 60_000 });
  if (response.status !== 'completed' || response.error !== null) throw new Error(`tool cell failed: ${JSON.stringify(response)}`);
}

/**
 * `arrivals` receives the time of every tool call the client sees; the bench client calls it.
 * Gaps are taken within one cell only, never across two.
 */
export async function toolCallRtt(session: CodeModeSession, arrivals: { record: ((at: number) => void) | undefined }, cells: number): Promise<Timing> {
  for (let i = 0; i < warmupFor(cells); i++) await run(session, SEQUENTIAL);
  const gaps: number[] = [];
  for (let i = 0; i < cells; i++) {
    let last: number | undefined;
    arrivals.record = (at) => {
      if (last !== undefined) gaps.push(at - last);
      last = at;
    };
    await run(session, SEQUENTIAL);
    arrivals.record = undefined;
  }
  return timing(gaps);
}

/** The session must allow PARALLEL_CALLS pending tool calls, and the host as many delegate calls. */
export async function toolCallParallel(session: CodeModeSession, cells: number): Promise<Timing> {
  const times = await sampleMs(warmupFor(cells), cells, () => run(session, PARALLEL));
  return timing(times.map((ms) => ms / PARALLEL_CALLS));
}

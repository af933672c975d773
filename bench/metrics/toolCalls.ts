/**
 * tool_call_rtt: per call, a cell awaiting 200 tool calls in sequence. Each sample is the time
 * between two consecutive calls arriving at the client's delegate: one whole round of answer →
 * host → isolate resumes → next call → host → client.
 * tool_call_parallel: per call, a cell awaiting 2000 calls at once (`Promise.all`); each sample is
 * one cell's execute time divided by 2000.
 */
import type { CodeModeClient, CodeModeSession } from '../../client/index.js';
import { TOOLS } from '../benchClient.js';
import type { Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

export const SEQUENTIAL_CALLS = 200;
export const PARALLEL_CALLS = 2000;

const SEQUENTIAL = `for (let i = 0; i < ${SEQUENTIAL_CALLS}; i++) await tools.echo(i); text('done')`;
const PARALLEL = `await Promise.all(Array.from({ length: ${PARALLEL_CALLS} }, (_, i) => tools.echo(i))); text('done')`;

/** Where the bench client reports the time of every tool call it sees. */
export interface Arrivals {
  record: ((at: number) => void) | undefined;
}

async function run(session: CodeModeSession, source: string): Promise<void> {
  const response = await session.execute({ source, tools: TOOLS, yieldTimeMs: 60_000 });
  if (response.status !== 'completed' || response.error !== null) throw new Error(`tool cell failed: ${JSON.stringify(response)}`);
}

/** A unit is one cell; its gaps are taken within it only, never across two cells. */
export function toolCallRtt(client: CodeModeClient, arrivals: Arrivals, cells: number): Member<Timing> {
  return {
    name: 'tool_call_rtt',
    units: cells,
    warmup: warmupFor(cells),
    summarize: timing,
    async open() {
      const session = await client.openSession();
      const once = async (): Promise<number[]> => {
        const gaps: number[] = [];
        let last: number | undefined;
        arrivals.record = (at) => {
          if (last !== undefined) gaps.push(at - last);
          last = at;
        };
        try {
          await run(session, SEQUENTIAL);
        } finally {
          arrivals.record = undefined;
        }
        return gaps;
      };
      return { once, close: () => session.close() };
    },
  };
}

/** The host must allow PARALLEL_CALLS pending delegate calls. */
export function toolCallParallel(client: CodeModeClient, cells: number): Member<Timing> {
  return {
    name: 'tool_call_parallel',
    units: cells,
    warmup: warmupFor(cells),
    summarize: timing,
    async open() {
      const session = await client.openSession({ limits: { maxPendingToolCalls: PARALLEL_CALLS } });
      return { once: async () => (await timeMs(() => run(session, PARALLEL))) / PARALLEL_CALLS, close: () => session.close() };
    },
  };
}

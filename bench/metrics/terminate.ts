/**
 * terminate_cpu: `terminate` of a cell spinning in `while (true) {}`, request to response. The
 * cell is observed first (a short yield), so the loop is certainly running when terminate is sent.
 */
import type { CodeModeSession } from '../../client/index.js';
import { sampleTimed, timing, warmupFor, type Timing } from '../stats.js';

async function terminateOnce(session: CodeModeSession): Promise<number> {
  const first = await session.execute({ source: 'while (true) {}', yieldTimeMs: 5 });
  if (first.status !== 'yielded') throw new Error(`the spinning cell did not yield: ${JSON.stringify(first)}`);
  const started = performance.now();
  const ended = await session.terminate(first.cellId);
  const elapsed = performance.now() - started;
  if (ended.status !== 'terminated') throw new Error(`terminate gave ${JSON.stringify(ended)}`);
  return elapsed;
}

export async function terminateCpu(session: CodeModeSession, samples: number): Promise<Timing> {
  return timing(await sampleTimed(warmupFor(samples), samples, () => terminateOnce(session)));
}

/**
 * execute_rtt: the client's `execute` of `text(1)` through the real host, start to result, one
 * execute right after another: each also pays for creating the isolate that replaces the one it took.
 */
import type { CodeModeSession } from '../../client/index.js';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

export async function executeOnce(session: CodeModeSession): Promise<void> {
  const response = await session.execute({ source: 'text(1)' });
  if (response.status !== 'completed' || response.error !== null) throw new Error(`execute failed: ${JSON.stringify(response)}`);
}

export async function executeRtt(session: CodeModeSession, samples: number): Promise<Timing> {
  return timing(await sampleMs(warmupFor(samples), samples, () => executeOnce(session)));
}


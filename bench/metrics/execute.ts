/**
 * execute_rtt: the client's `execute` of `text(1)` through the real host, start to result, one
 * execute right after another: each also pays for creating the isolate that replaces the one it took.
 */
import type { CodeModeClient, CodeModeSession } from '../../client/index.js';
import type { Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

export async function executeOnce(session: CodeModeSession): Promise<void> {
  const response = await session.execute({ source: 'text(1)' });
  if (response.status !== 'completed' || response.error !== null) throw new Error(`execute failed: ${JSON.stringify(response)}`);
}

export function executeRtt(client: CodeModeClient, samples: number): Member<Timing> {
  return {
    name: 'execute_rtt',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    async open() {
      const session = await client.openSession();
      return { once: () => timeMs(() => executeOnce(session)), close: () => session.close() };
    },
  };
}

/**
 * cells_concurrent: `cells` cells started at once, each awaiting `calls` tool calls in sequence;
 * the figure is tool calls completed per second of wall time, the median of `rounds` rounds.
 */
import type { CodeModeSession } from '../../client/index.js';
import { TOOLS } from '../benchClient.js';
import { median, round, sampleMs, warmupFor, type Value } from '../stats.js';

export async function cellsConcurrent(session: CodeModeSession, cells: number, calls: number, rounds: number): Promise<Value> {
  const source = `for (let i = 0; i < ${calls}; i++) await tools.echo(i); text('done')`;
  const oneRound = () =>
    Promise.all(
      Array.from({ length: cells }, async () => {
        const response = await session.execute({ source, tools: TOOLS, yieldTimeMs: 120_000 });
        if (response.status !== 'completed' || response.error !== null) throw new Error(`cell failed: ${JSON.stringify(response)}`);
      }),
    );
  const times = await sampleMs(Math.min(2, warmupFor(rounds)), rounds, oneRound);
  return { value: round((cells * calls) / (median(times) / 1000)), unit: 'calls/s' };
}

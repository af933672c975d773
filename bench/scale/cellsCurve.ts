/**
 * Execute latency against concurrent cells: rounds of `c` executes of `text(1)` sent at once,
 * each execute's own latency a sample. All of a round's work shares two cores, so each latency
 * may grow in proportion to `c` (work slope 1), but not faster.
 */
import type { CodeModeClient } from '../../client/index.js';
import { executeOnce } from '../metrics/execute.js';
import { timing } from '../stats.js';
import { curve, type Curve, type CurvePoint } from './curve.js';

const MIN_ROUNDS = 3;

export async function cellsCurve(client: CodeModeClient, counts: readonly number[], samples: number): Promise<Curve> {
  const session = await client.openSession();
  const points: CurvePoint[] = [];
  try {
    for (const count of counts) {
      const rounds = Math.max(MIN_ROUNDS, Math.ceil(samples / count));
      const latencies: number[] = [];
      for (let round = -1; round < rounds; round++) {
        const measured = await Promise.all(
          Array.from({ length: count }, async () => {
            const started = performance.now();
            await executeOnce(session);
            return performance.now() - started;
          }),
        );
        // Round -1 is the warm-up.
        if (round >= 0) latencies.push(...measured);
      }
      const { p50, p99 } = timing(latencies);
      points.push({ x: count, p50, p99 });
    }
  } finally {
    await session.close();
  }
  return curve({
    title: 'execute latency vs concurrent cells',
    xLabel: 'concurrent cells',
    yLabel: 'execute p50 (ms)',
    yLog: true,
    points,
    slopeFrom: 1,
    workSlope: 1,
  });
}

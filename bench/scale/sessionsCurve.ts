/**
 * Execute latency against open sessions: one host, sessions opened step by step up to the
 * largest point; at each point the executes go round robin over every open session. The work
 * per execute is the same at every point, so the latency should stay flat (work slope 0).
 */
import { benchClient } from '../benchClient.js';
import type { CodeModeSession } from '../../client/index.js';
import { executeOnce } from '../metrics/execute.js';
import { sampleMs, timing, warmupFor } from '../stats.js';
import { curve, type Curve, type CurvePoint } from './curve.js';

export async function sessionsCurve(counts: readonly number[], samples: number): Promise<Curve> {
  const client = benchClient({ hostLimits: { maxSessions: Math.max(...counts) + 1 } });
  const sessions: CodeModeSession[] = [];
  const points: CurvePoint[] = [];
  try {
    for (const count of counts) {
      while (sessions.length < count) sessions.push(await client.openSession());
      let next = 0;
      const { p50, p99 } = timing(await sampleMs(warmupFor(samples), samples, () => executeOnce(sessions[next++ % count]!)));
      points.push({ x: count, p50, p99 });
    }
  } finally {
    await client.close();
  }
  return curve({
    title: 'execute latency vs open sessions',
    xLabel: 'open sessions',
    yLabel: 'execute p50 (ms)',
    yLog: false,
    points,
    slopeFrom: 1,
    workSlope: 0,
  });
}

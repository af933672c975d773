/**
 * Tool result round trip against payload size. The work grows with the bytes (work slope 1);
 * the slope is fitted from 1 MiB up, where the bytes, not the fixed execute cost, dominate.
 * The plot shows throughput.
 */
import type { CodeModeClient } from '../../client/index.js';
import { megabytesPerSecond, openPayloadSession, payloadOnce } from '../metrics/payload.js';
import { sampleTimed, timing, warmupFor } from '../stats.js';
import { curve, type Curve, type CurvePoint } from './curve.js';

const SLOPE_FROM_BYTES = 1024 * 1024;

export async function payloadCurve(client: CodeModeClient, sizes: readonly number[], samples: number): Promise<Curve> {
  const session = await openPayloadSession(client);
  const points: CurvePoint[] = [];
  try {
    for (const bytes of sizes) {
      const { p50, p99 } = timing(await sampleTimed(warmupFor(samples), samples, () => payloadOnce(session, bytes)));
      points.push({ x: bytes, p50, p99, shown: megabytesPerSecond(bytes, p50) });
    }
  } finally {
    await session.close();
  }
  return curve({
    title: 'tool result throughput vs size',
    xLabel: 'payload (bytes)',
    yLabel: 'throughput (MB/s)',
    yLog: false,
    points,
    slopeFrom: Math.min(SLOPE_FROM_BYTES, Math.max(...sizes)),
    workSlope: 1,
  });
}

/**
 * A scale curve: a cost measured at growing amounts of work, and the log-log slope of that cost,
 * which is how fast it grows. `workSlope` is how fast the work itself grows along x (0: the same
 * work at every point; 1: work proportional to x); the cost keeps up with the work when its slope
 * is no larger.
 */
export interface CurvePoint {
  x: number;
  /** The cost: p50 in ms. */
  p50: number;
  p99: number;
  /** What the plot shows, when it is not p50 (throughput). */
  shown?: number;
}

export interface Curve {
  title: string;
  xLabel: string;
  yLabel: string;
  yLog: boolean;
  points: CurvePoint[];
  /** Fitted over the points with x ≥ slopeFrom, where the work dominates fixed costs. */
  slopeFrom: number;
  slope: number;
  workSlope: number;
  /** slope ≤ workSlope, give or take SLOPE_TOLERANCE of noise. */
  met: boolean;
}

const SLOPE_TOLERANCE = 0.1;

/** Least-squares slope of log(p50) against log(x). */
export function logLogSlope(points: readonly CurvePoint[]): number {
  const xs = points.map((p) => Math.log(p.x));
  const ys = points.map((p) => Math.log(p.p50));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const mx = mean(xs);
  const my = mean(ys);
  let num = 0;
  let den = 0;
  xs.forEach((x, i) => {
    num += (x - mx) * (ys[i]! - my);
    den += (x - mx) ** 2;
  });
  return den === 0 ? 0 : num / den;
}

export function curve(fields: Omit<Curve, 'slope' | 'met'>): Curve {
  const fitted = fields.points.filter((p) => p.x >= fields.slopeFrom);
  const slope = Number(logLogSlope(fitted).toFixed(3));
  return { ...fields, slope, met: slope <= fields.workSlope + SLOPE_TOLERANCE };
}

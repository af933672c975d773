/** Sample collection and the statistics every figure is reported with. */

/** A latency figure: percentiles over `n` samples after a warm-up. */
export interface Timing {
  p50: number;
  p99: number;
  unit: 'ms';
  n: number;
}

/** A single-valued figure (a rate, a size), itself the median of repeated runs where it says so. */
export interface Value {
  value: number;
  unit: string;
}

/** Nearest-rank percentile of already sorted values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of no samples');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function median(values: readonly number[]): number {
  return percentile([...values].sort((a, b) => a - b), 50);
}

export function timing(samples: readonly number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), unit: 'ms', n: sorted.length };
}

/**
 * Runs `once` `warmup` times unmeasured (JIT, isolate pool, caches), then `samples` times, and
 * returns the wall time of each measured run in ms. Runs are sequential: a sample never overlaps
 * another, so each one is a latency, not a share of a throughput.
 */
export function sampleMs(warmup: number, samples: number, once: () => Promise<unknown>): Promise<number[]> {
  return sampleTimed(warmup, samples, () => timeMs(once));
}

/** The wall time of one run, in ms. */
export async function timeMs(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** As sampleMs, for runs that time only part of themselves and return that time in ms. */
export async function sampleTimed(warmup: number, samples: number, once: () => Promise<number>): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await once();
  const times: number[] = [];
  for (let i = 0; i < samples; i++) times.push(await once());
  return times;
}

/** Warm-up runs for a metric of `samples` samples: a tenth, at least 3 (1 for the tiniest smoke runs). */
export function warmupFor(samples: number): number {
  return samples <= 2 ? 1 : Math.max(3, Math.ceil(samples / 10));
}

/** Four significant digits are more than the noise allows. */
export function round(value: number): number {
  return Number(value.toPrecision(4));
}

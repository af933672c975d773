/**
 * A tool result of `bytes` bytes round trip: the cell calls a tool, the client answers with a
 * string of that size, and it travels client → host → isolate, where the cell reads its length.
 * Time is the client's execute, start to result; throughput counts the payload once, in MB/s
 * (10^6 bytes per second).
 */
import type { CodeModeClient, CodeModeSession } from '../../client/index.js';
import { TOOLS } from '../benchClient.js';
import type { Member } from '../rounds.js';
import { median, round, warmupFor, type Value } from '../stats.js';

export const PAYLOAD_BYTES = 16 * 1024 * 1024;

/** A session whose cells have heap room for the largest payload, several times over while it is parsed. */
export function openPayloadSession(client: CodeModeClient): Promise<CodeModeSession> {
  return client.openSession({ limits: { heapLimitMb: 1024 } });
}

export async function payloadOnce(session: CodeModeSession, bytes: number): Promise<number> {
  const started = performance.now();
  const response = await session.execute({ source: `text((await tools.blob({ bytes: ${bytes} })).length)`, tools: TOOLS, yieldTimeMs: 60_000 });
  const elapsed = performance.now() - started;
  const text = response.items[0]?.type === 'text' ? response.items[0].text : undefined;
  if (response.error !== null || text !== String(bytes)) throw new Error(`payload cell failed: ${JSON.stringify(response).slice(0, 500)}`);
  return elapsed;
}

export function megabytesPerSecond(bytes: number, ms: number): number {
  return round(bytes / 1e6 / (ms / 1000));
}

/** The throughput of the median of 16 MiB round trips' times. */
export function payloadThroughput(times: readonly number[]): Value {
  return { value: megabytesPerSecond(PAYLOAD_BYTES, median(times)), unit: 'MB/s' };
}

export function payload16MiB(client: CodeModeClient, samples: number): Member<Value> {
  return {
    name: 'payload_16mb_mbps',
    units: samples,
    warmup: warmupFor(samples),
    summarize: payloadThroughput,
    async open() {
      const session = await openPayloadSession(client);
      return { once: () => payloadOnce(session, PAYLOAD_BYTES), close: () => session.close() };
    },
  };
}

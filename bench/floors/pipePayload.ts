/**
 * pipe_payload_16mb_mbps: the bytes of a 16 MiB tool result's response frame body, written to a
 * child that copies its stdin to its stdout, read back whole and JSON-parsed once. One round trip
 * over two pipes with one parse is the least any process boundary costs: the floor of
 * payload_16mb_mbps, in the same MB/s (the payload counted once).
 */
import { spawn } from 'node:child_process';
import { blobOf } from '../benchClient.js';
import { childExit } from '../childExit.js';
import { PAYLOAD_BYTES, payloadThroughput } from '../metrics/payload.js';
import type { Member } from '../rounds.js';
import { warmupFor, type Value } from '../stats.js';

const CAT = 'process.stdin.pipe(process.stdout)';

export function pipePayload16MiB(samples: number): Member<Value> {
  return {
    name: 'pipe_payload_16mb_mbps',
    units: samples,
    warmup: warmupFor(samples),
    summarize: payloadThroughput,
    async open() {
      const body = Buffer.from(`{"jsonrpc":"2.0","id":1,"result":{"result":"${blobOf(PAYLOAD_BYTES)}"}}`);
      const child = spawn(process.execPath, ['-e', CAT], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exit = childExit(child);
      let received: Buffer[] = [];
      let length = 0;
      let complete: (() => void) | undefined;
      child.stdout.on('data', (chunk: Buffer) => {
        received.push(chunk);
        length += chunk.length;
        if (length === body.length) complete?.();
      });
      const once = async (): Promise<number> => {
        const started = performance.now();
        const arrived = new Promise<void>((resolve) => (complete = resolve));
        child.stdin.write(body);
        await arrived;
        const value = JSON.parse(Buffer.concat(received, length).toString('utf8')) as { result: { result: string } };
        const elapsed = performance.now() - started;
        if (value.result.result.length !== PAYLOAD_BYTES) throw new Error('the pipe payload came back changed');
        received = [];
        length = 0;
        return elapsed;
      };
      return {
        once,
        close() {
          child.stdin.end();
          return exit;
        },
      };
    },
  };
}

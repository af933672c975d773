/**
 * The hop between the host and one of its sandbox processes, without the sandbox's own work: a
 * forked Node process over an IPC channel with "advanced" (structured clone) serialization that
 * sends every batch it receives straight back, as server/sandbox/messages.ts batches them.
 *   sandbox_echo: one small message and its answer (what each sequential tool call adds).
 *   sandbox_echo_parallel: per call, PARALLEL_CALLS tool calls sent as one message of columns and
 *     answered as one (what each of a burst of parallel calls adds; the shape messages.ts gives them).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { PARALLEL_CALLS } from '../metrics/toolCalls.js';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO = fileURLToPath(import.meta.url);

if (process.send !== undefined && process.argv[2] === 'child') {
  const send = process.send.bind(process);
  process.on('message', (batch: unknown) => send(batch));
  process.on('disconnect', () => process.exit(0));
}

/** Times `batch`'s round trips through a fresh echo process, `samples` of them after a warm-up. */
async function roundTrips(batch: unknown[], warmup: number, samples: number): Promise<number[]> {
  const child: ChildProcess = fork(ECHO, ['child'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let answer: (() => void) | undefined;
  child.on('message', () => answer?.());
  try {
    return await sampleMs(warmup, samples, () => new Promise<void>((resolve) => {
      answer = resolve;
      child.send(batch);
    }));
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

export async function sandboxEcho(samples: number): Promise<Timing> {
  // About what a small cell's start carries.
  const batch = [{ t: 'start', run: 1, realm: 1, program: { sessionId: 'session-1', source: 'text(1)', language: 'javascript', filename: 'cell-1.js' } }];
  return timing(await roundTrips(batch, warmupFor(samples) * 10, samples));
}

export async function sandboxEchoParallel(bursts: number): Promise<Timing> {
  const calls = Array.from({ length: PARALLEL_CALLS }, (_, call) => call);
  const batch = [{ t: 'toolCalls', run: 1, calls, jsNames: calls.map(() => 'echo'), inputs: calls.map(String) }];
  const times = await roundTrips(batch, warmupFor(bursts), bursts);
  return timing(times.map((ms) => ms / PARALLEL_CALLS));
}

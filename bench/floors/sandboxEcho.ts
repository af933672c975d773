/**
 * The hop between the host and one of its sandbox processes, without the sandbox's own work: a
 * forked Node process over an IPC channel with "advanced" (structured clone) serialization that
 * sends every batch it receives straight back, as server/sandbox/messages.ts batches them.
 *   sandbox_echo: one small message and its answer (what each sequential tool call adds).
 *   sandbox_echo_parallel: per call, PARALLEL_CALLS tool calls sent as one message of columns and
 *     answered as one (what each of a burst of parallel calls adds; the shape messages.ts gives them).
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childExit } from '../childExit.js';
import { PARALLEL_CALLS } from '../metrics/toolCalls.js';
import type { Member, Sampler } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO = fileURLToPath(import.meta.url);

if (process.send !== undefined && process.argv[2] === 'child') {
  const send = process.send.bind(process);
  process.on('message', (batch: unknown) => send(batch));
  process.on('disconnect', () => process.exit(0));
}

/** An echo process whose samples are `batch`'s round trips through it, in ms divided by `per`. */
async function openEcho(batch: unknown[], per: number): Promise<Sampler> {
  const child = fork(ECHO, ['child'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exit = childExit(child);
  let answer: (() => void) | undefined;
  child.on('message', () => answer?.());
  const roundTrip = () =>
    new Promise<void>((resolve) => {
      answer = resolve;
      child.send(batch);
    });
  return {
    once: async () => (await timeMs(roundTrip)) / per,
    close() {
      if (child.connected) child.disconnect();
      return exit;
    },
  };
}

export function sandboxEcho(samples: number): Member<Timing> {
  // About what a small cell's start carries.
  const batch = [{ t: 'start', run: 1, realm: 1, program: { sessionId: 'session-1', source: 'text(1)', language: 'javascript', filename: 'cell-1.js' } }];
  return { name: 'sandbox_echo', units: samples, warmup: warmupFor(samples) * 10, summarize: timing, open: () => openEcho(batch, 1) };
}

export function sandboxEchoParallel(bursts: number): Member<Timing> {
  const calls = Array.from({ length: PARALLEL_CALLS }, (_, call) => call);
  const batch = [{ t: 'toolCalls', run: 1, calls, jsNames: calls.map(() => 'echo'), inputs: calls.map(String) }];
  return { name: 'sandbox_echo_parallel', units: bursts, warmup: warmupFor(bursts), summarize: timing, open: () => openEcho(batch, PARALLEL_CALLS) };
}

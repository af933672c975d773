/**
 * sandbox_echo: one message and its answer between the host and a forked Node process over an IPC
 * channel with "advanced" (structured clone) serialization, batched as arrays: the hop every cell
 * of a sandbox process pays each way (server/sandbox/messages.ts), without the sandbox's own work.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO = fileURLToPath(import.meta.url);

if (process.send !== undefined && process.argv[2] === 'child') {
  const send = process.send.bind(process);
  process.on('message', (batch: unknown) => send(batch));
  process.on('disconnect', () => process.exit(0));
}

export async function sandboxEcho(samples: number): Promise<Timing> {
  const child = fork(ECHO, ['child'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let answer: (() => void) | undefined;
  child.on('message', () => answer?.());
  // About what a small cell's start carries.
  const batch = [{ t: 'start', run: 1, realm: 1, program: { sessionId: 'session-1', source: 'text(1)', language: 'javascript', filename: 'cell-1.js' } }];
  try {
    return timing(
      await sampleMs(warmupFor(samples) * 10, samples, () => new Promise<void>((resolve) => {
        answer = resolve;
        child.send(batch);
      })),
    );
  } finally {
    child.disconnect();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

/**
 * host_start: spawning the host to the `initialize` result, through a bare vscode-jsonrpc
 * connection (the client library would add its own start-up to the figure). Each host is shut
 * down, unmeasured, before the next one starts.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { sampleTimed, timing, warmupFor, type Timing } from '../stats.js';

const HOST_ENTRY = fileURLToPath(new URL('../../server/main.js', import.meta.url));

async function startOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [HOST_ENTRY], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', { protocolVersion: 1 });
  const elapsed = performance.now() - started;
  connection.dispose();
  child.stdin.end();
  await exited;
  return elapsed;
}

export async function hostStart(samples: number): Promise<Timing> {
  return timing(await sampleTimed(warmupFor(samples), samples, startOnce));
}

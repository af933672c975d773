/**
 * host_start: spawning the host to the `initialize` result, through a bare vscode-jsonrpc
 * connection (the client library would add its own start-up to the figure). Each host is shut
 * down, unmeasured, before the next one starts.
 */
import { sampleTimed, timing, warmupFor, type Timing } from '../stats.js';
import { spawnBareHost } from './bareHost.js';

async function startOnce(): Promise<number> {
  const started = performance.now();
  const host = spawnBareHost();
  await host.connection.sendRequest('initialize', { protocolVersion: 1 });
  const elapsed = performance.now() - started;
  await host.close();
  return elapsed;
}

export async function hostStart(samples: number): Promise<Timing> {
  return timing(await sampleTimed(warmupFor(samples), samples, startOnce));
}

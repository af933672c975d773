/**
 * host_start: spawning the host to the `initialize` result, through a bare vscode-jsonrpc
 * connection (the client library would add its own start-up to the figure). Each host is shut
 * down, unmeasured, before the next one starts.
 */
import { selfContained, type Member } from '../rounds.js';
import { timing, warmupFor, type Timing } from '../stats.js';
import { spawnBareHost } from './bareHost.js';

async function startOnce(): Promise<number> {
  const started = performance.now();
  const host = spawnBareHost();
  try {
    await host.connection.sendRequest('initialize', { protocolVersion: 1 });
    return performance.now() - started;
  } finally {
    await host.close();
  }
}

export function hostStart(samples: number): Member<Timing> {
  return {
    name: 'host_start',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    open: selfContained(startOnce),
  };
}

/**
 * first_cell: spawning the host to the result of its first cell, through a bare vscode-jsonrpc
 * connection as a client would go: `initialize`, `initialized`, `session/open`, then `cell/execute`
 * of `text(1)`. Beside host_start it shows what a start costs a caller who runs a cell at once,
 * the sandbox process's start included: the host starts that process on `initialized`.
 */
import { selfContained, type Member } from '../rounds.js';
import { timing, warmupFor, type Timing } from '../stats.js';
import { spawnBareHost } from './bareHost.js';

async function firstCellOnce(): Promise<number> {
  const started = performance.now();
  const { connection, close } = spawnBareHost();
  try {
    await connection.sendRequest('initialize', { protocolVersion: 1 });
    await connection.sendNotification('initialized', {});
    await connection.sendRequest('session/open', { sessionId: 's' });
    const response = (await connection.sendRequest('cell/execute', { sessionId: 's', source: 'text(1)' })) as { status: string };
    const elapsed = performance.now() - started;
    if (response.status !== 'completed') throw new Error(`the first cell ended ${response.status}`);
    return elapsed;
  } finally {
    await close();
  }
}

export function firstCell(samples: number): Member<Timing> {
  return {
    name: 'first_cell',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    open: selfContained(firstCellOnce),
  };
}

/**
 * first_cell: spawning the host to the result of its first cell, through a bare vscode-jsonrpc
 * connection as a client would go: `initialize`, `initialized`, `session/open`, then `cell/execute`
 * of `text(1)`. Beside host_start it shows what a start costs a caller who runs a cell at once,
 * the sandbox process's start included: the host starts that process on `initialized`.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { sampleTimed, timing, warmupFor, type Timing } from '../stats.js';

const HOST_ENTRY = fileURLToPath(new URL('../../server/main.js', import.meta.url));

async function firstCellOnce(): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [HOST_ENTRY], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  await connection.sendRequest('initialize', { protocolVersion: 1 });
  await connection.sendNotification('initialized', {});
  await connection.sendRequest('session/open', { sessionId: 's' });
  const response = (await connection.sendRequest('cell/execute', { sessionId: 's', source: 'text(1)' })) as { status: string };
  const elapsed = performance.now() - started;
  if (response.status !== 'completed') throw new Error(`the first cell ended ${response.status}`);
  connection.dispose();
  child.stdin.end();
  await exited;
  return elapsed;
}

export async function firstCell(samples: number): Promise<Timing> {
  return timing(await sampleTimed(warmupFor(samples), samples, firstCellOnce));
}

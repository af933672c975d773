/**
 * echo_parallel: per message, PARALLEL_CALLS bare vscode-jsonrpc requests sent at once to the
 * echo_rtt server and all their responses; each sample is one burst's time divided by its size.
 * With isolate_callback_parallel_inproc it is the floor of tool_call_parallel.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { PARALLEL_CALLS } from '../metrics/toolCalls.js';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO_SERVER = fileURLToPath(new URL('../echoServer.js', import.meta.url));

export async function echoParallel(bursts: number): Promise<Timing> {
  const child = spawn(process.execPath, [ECHO_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    // Params about the size of a delegate call's, so the floor carries comparable JSON.
    const burst = () => Promise.all(Array.from({ length: PARALLEL_CALLS }, (_, i) => connection.sendRequest('echo', { sessionId: 'session-1', cellId: 'cell-1', callId: i, input: i })));
    const times = await sampleMs(warmupFor(bursts), bursts, burst);
    return timing(times.map((ms) => ms / PARALLEL_CALLS));
  } finally {
    connection.dispose();
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

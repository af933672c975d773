/** echo_rtt: a bare vscode-jsonrpc request and its response between two Node processes over stdio. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO_SERVER = fileURLToPath(new URL('../echoServer.js', import.meta.url));

export async function echoRtt(samples: number): Promise<Timing> {
  const child = spawn(process.execPath, [ECHO_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  try {
    // Params about the size of a small cell/execute, so the floor carries comparable JSON.
    const params = { sessionId: 'session-1', source: 'text(1)' };
    return timing(await sampleMs(warmupFor(samples) * 10, samples, () => connection.sendRequest('echo', params)));
  } finally {
    connection.dispose();
    child.stdin.end();
    await new Promise((resolve) => child.once('exit', resolve));
  }
}

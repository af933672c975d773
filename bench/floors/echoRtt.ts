/** echo_rtt: a bare vscode-jsonrpc request and its response between two Node processes over stdio. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { childExit } from '../childExit.js';
import type { Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

const ECHO_SERVER = fileURLToPath(new URL('../echoServer.js', import.meta.url));

export function echoRtt(samples: number): Member<Timing> {
  return {
    name: 'echo_rtt',
    units: samples,
    warmup: warmupFor(samples) * 10,
    summarize: timing,
    async open() {
      const child = spawn(process.execPath, [ECHO_SERVER], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exit = childExit(child);
      const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
      connection.listen();
      // Params about the size of a small cell/execute, so the floor carries comparable JSON.
      const params = { sessionId: 'session-1', source: 'text(1)' };
      return {
        once: () => timeMs(() => connection.sendRequest('echo', params)),
        close() {
          connection.dispose();
          child.stdin.end();
          return exit;
        },
      };
    },
  };
}

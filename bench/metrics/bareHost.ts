/**
 * A host spawned as clients spawn it, behind a bare vscode-jsonrpc connection: for the start-up
 * figures (host_start, first_cell), which the client library's own start-up would blur.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

const HOST_ENTRY = fileURLToPath(new URL('../../server/main.js', import.meta.url));

export interface BareHost {
  connection: MessageConnection;
  /** Ends the connection and stdin, and resolves once the host has exited. */
  close(): Promise<void>;
}

export function spawnBareHost(): BareHost {
  const child = spawn(process.execPath, [HOST_ENTRY], { stdio: ['pipe', 'pipe', 'ignore'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  connection.listen();
  return {
    connection,
    close() {
      connection.dispose();
      child.stdin.end();
      return exited;
    },
  };
}

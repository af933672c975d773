// A code-mode host driven from a VS Code extension with vscode-jsonrpc (the library VS Code's own
// language clients use). Runs under plain Node too:
//   CODEMODE_HOST='["codemode-host"]' node vscode-extension.mjs
// It runs a cell that calls a tool (answered by onRequest), cancels a request through a
// CancellationToken, shuts the host down and prints what it saw as JSON.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { CancellationTokenSource, createMessageConnection, ResponseError, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export async function runCodeMode(command) {
  const seen = { closed: [] };
  const child = spawn(command[0], command.slice(1), { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  // Host-to-client requests: the returned value is the JSON-RPC result.
  connection.onRequest('delegate/invokeTool', (params) => {
    if (params.tool.name !== 'add') throw new ResponseError(-32601, `no tool ${params.tool.name}`);
    seen.toolInput = params.input;
    return { result: params.input.a + params.input.b };
  });
  connection.onNotification('cell/closed', (params) => seen.closed.push(params.cellId));
  connection.listen();
  try {
    const init = await connection.sendRequest('initialize', { protocolVersion: 1, clientInfo: { name: 'vscode' } });
    seen.protocolVersion = init.protocolVersion;
    await connection.sendNotification('initialized', {});
    await connection.sendRequest('session/open', { sessionId: 'vscode' });
    const response = await connection.sendRequest('cell/execute', { sessionId: 'vscode', source: 'const r = await tools.add({a: 2, b: 3}); text(r * 7)', tools: [{ name: 'add' }] });
    seen.execute = { status: response.status, text: response.items[0].text };

    // Cancelling the token makes vscode-jsonrpc send $/cancelRequest; the host answers -32800.
    const cancel = new CancellationTokenSource();
    const pending = connection.sendRequest('cell/execute', { sessionId: 'vscode', source: 'await new Promise(() => {})', yieldTimeMs: 60000 }, cancel.token);
    setTimeout(() => cancel.cancel(), 200);
    seen.cancelled = await pending.then(
      () => 'not cancelled',
      (error) => ({ code: error.code, cellId: error.data?.cellId }),
    );
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    [seen.exitCode] = await exited;
  } finally {
    connection.dispose();
    child.kill();
  }
  return seen;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runCodeMode(JSON.parse(process.env.CODEMODE_HOST))));
}

/** docs/protocol.md, Transport: framing and every bad-input row, with the error codes they give. */
import type { Scenario } from '../scenario.js';
import { start, type Message, type ScriptedClient } from '../scriptedClient.js';

/** The next error response with id null. */
const nullIdError = (client: ScriptedClient, code: number) => client.waitFor((m: Message) => m.id === null && m.error?.code === code, `error ${code} with id null`);

/** A fatal header: logged, every session torn down, exit status 2. */
function fatalHeader(name: string, what: string, bytes: string): Scenario {
  return {
    name,
    description: [`A header with ${what} cannot be recovered from: the host tears down and exits with status 2.`],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      client.sendRaw(bytes);
    },
  };
}

/** With --max-message-bytes 4096, two such responses fit alone but not in one batch array. */
const BATCH_HOST_ARGS = ['--max-message-bytes', '4096'];
const BULK = 2500;

/** A cell of session `s` blocked on tools.gate(), its execute ended by cell/yield; resolves with the gate's request. */
async function gatedCell(client: ScriptedClient, cellId: string, source: string, tools = ['gate']): Promise<Message> {
  const execute = client.request('cell/execute', { sessionId: 's', source, tools: tools.map((name) => ({ name })) });
  const gate = await client.hostRequest('delegate/invokeTool', (p) => p.cellId === cellId && p.tool.name === 'gate');
  await client.call('cell/yield', { sessionId: 's', cellId });
  await execute;
  return gate;
}

const batchWait = (id: string, cellId: string) => ({ jsonrpc: '2.0', id, method: 'cell/wait', params: { sessionId: 's', cellId } });

export const transport: Scenario[] = [
  {
    name: 'transport-parse-error',
    description: ['A body that is not JSON gets -32700 ParseError with id null; the host keeps serving.'],
    async run(client) {
      await start(client);
      client.sendBody('{"jsonrpc":"2.0","id":1,');
      await nullIdError(client, -32700);
      await client.call('session/open', {});
    },
  },
  {
    name: 'transport-message-too-large',
    description: [
      'With --max-message-bytes 2048: an oversize incoming body is skipped and answered -32031 with id null;',
      'an oversize response becomes a -32031 error for the same id; a final result too large to send stays',
      'pending (cell/closed says resultPending) for a wait with a smaller maxOutputTokens; an oversize',
      'delegate request fails only that tool call, in JavaScript. The connection and the session stay up.',
    ],
    hostArgs: ['--max-message-bytes', '2048'],
    async run(client) {
      await start(client);
      client.send({ jsonrpc: '2.0', id: 'big', method: 'session/open', params: { sessionId: 'x'.repeat(5000) } });
      await nullIdError(client, -32031);
      await client.call('session/open', { sessionId: 's' });
      await client.request('cell/execute', { sessionId: 's', source: 'text("y".repeat(3000))' });
      await client.notification('cell/closed', (p) => p.cellId === '1');
      await client.call('cell/wait', { sessionId: 's', cellId: '1', maxOutputTokens: 100 });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'try { await tools.echo("z".repeat(3000)) } catch (e) { text("failed") }\ntext(await tools.echo("small"))', tools: [{ name: 'echo' }] });
      const small = await client.hostRequest('delegate/invokeTool');
      client.answer(small, { result: small.params.input });
      await execute;
      await client.notification('cell/closed', (p) => p.cellId === '2');
    },
  },
  {
    name: 'transport-invalid-request',
    description: [
      'Valid JSON that is not a JSON-RPC 2.0 message gets -32600, echoing the id when it is a string or number:',
      'wrong or missing jsonrpc, an object or null id on a request, a non-string method, string params, a bare number or string.',
    ],
    async run(client) {
      await start(client);
      const cases: Array<[unknown, number | string | null]> = [
        [{ jsonrpc: '1.0', id: 3, method: 'session/open' }, 3],
        [{ id: 'a', method: 'session/open' }, 'a'],
        [{ jsonrpc: '2.0', id: { x: 1 }, method: 'session/open' }, null],
        [{ jsonrpc: '2.0', id: null, method: 'session/open' }, null],
        [{ jsonrpc: '2.0', id: 4, method: 5 }, 4],
        [{ jsonrpc: '2.0', id: 5, method: 'session/open', params: 'x' }, 5],
        [42, null],
        ['hello', null],
      ];
      for (const [body, id] of cases) {
        client.send(body);
        await client.waitFor((m) => m.id === id && m.error?.code === -32600, `-32600 for ${JSON.stringify(body)}`);
      }
      await client.call('session/open', {});
    },
  },
  {
    name: 'transport-batch',
    description: [
      'Batches (JSON-RPC 2.0 section 6): a mixed batch gets one array with the responses of its requests;',
      'an empty batch gets one -32600 object; a batch of notifications gets nothing.',
    ],
    async run(client) {
      await start(client);
      client.send([
        { jsonrpc: '2.0', id: 'a', method: 'session/open', params: { sessionId: 'b1' } },
        { jsonrpc: '2.0', method: 'initialized' },
        { jsonrpc: '2.0', id: 'b', method: 'no/such' },
        { jsonrpc: '1.0', id: 'c', method: 'session/open' },
        7,
      ]);
      await client.waitFor((m) => Array.isArray(m), 'the batch response');
      client.sendBody('[]');
      await nullIdError(client, -32600);
      client.send([{ jsonrpc: '2.0', method: 'initialized' }, { jsonrpc: '2.0', method: 'no/such' }]);
      await client.call('session/open', { sessionId: 'marker' });
    },
  },
  {
    name: 'transport-batch-results',
    description: [
      'With --max-message-bytes 4096: a batch whose array cannot carry two cell results keeps the first that arrives;',
      'the other gets -32031 with data.cellId and stays pending for a later wait. A result that settles into a batch',
      'wait and is not sent is pending: its cell/closed says resultPending: true.',
    ],
    hostArgs: BATCH_HOST_ARGS,
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const source = (cellId: string) => `await tools.gate(); text("${cellId}".repeat(${BULK}))`;
      // Cells 1 and 2 finish unobserved, then one batch collects both.
      for (const cellId of ['1', '2']) {
        client.answer(await gatedCell(client, cellId, source(cellId)), { result: null });
        await client.notification('cell/closed', (p) => p.cellId === cellId);
      }
      client.send([batchWait('w1', '1'), batchWait('w2', '2')]);
      await client.waitFor((m) => Array.isArray(m), 'the first batch response');
      await client.call('cell/wait', { sessionId: 's', cellId: '2' });
      // Cells 3 and 4 finish while a batch waits on both.
      const gates = [await gatedCell(client, '3', source('3')), await gatedCell(client, '4', source('4'))];
      client.send([batchWait('w3', '3'), batchWait('w4', '4')]);
      await client.call('cell/yield', { sessionId: 's', cellId: '99' });
      for (const [index, cellId] of ['3', '4'].entries()) {
        client.answer(gates[index]!, { result: null });
        await client.notification('cell/closed', (p) => p.cellId === cellId);
      }
      await client.waitFor((m) => Array.isArray(m), 'the second batch response');
      await client.call('cell/wait', { sessionId: 's', cellId: '4' });
    },
  },
  {
    name: 'transport-batch-output',
    description: [
      'With --max-message-bytes 4096: yielded output a batch array cannot carry gets -32031 with data.cellId and stays',
      'buffered, in order; the cell runs on and the next wait returns it.',
    ],
    hostArgs: BATCH_HOST_ARGS,
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const more: Message[] = [];
      for (const cellId of ['1', '2']) {
        const gate = await gatedCell(client, cellId, `await tools.gate(); text("${cellId}".repeat(${BULK})); await tools.more(); text("end")`, ['gate', 'more']);
        client.answer(gate, { result: null });
        // The output leaves the cell before its next tool call: it is buffered once the call arrives.
        more.push(await client.hostRequest('delegate/invokeTool', (p) => p.cellId === cellId && p.tool.name === 'more'));
      }
      client.send([batchWait('w1', '1'), batchWait('w2', '2')]);
      await client.call('cell/yield', { sessionId: 's', cellId: '1' });
      await client.call('cell/yield', { sessionId: 's', cellId: '2' });
      await client.waitFor((m) => Array.isArray(m), 'the batch response');
      await client.call('cell/wait', { sessionId: 's', cellId: '2', yieldTimeMs: 0 });
      for (const [index, cellId] of ['1', '2'].entries()) {
        const last = client.request('cell/wait', { sessionId: 's', cellId });
        client.answer(more[index]!, { result: null });
        await last;
        await client.notification('cell/closed', (p) => p.cellId === cellId);
      }
    },
  },
  {
    name: 'transport-duplicate-id',
    description: ['A request whose id equals one still in flight gets -32600; the first request is untouched and answered later.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const first = client.waitFor((m) => m.id === 99 && m.result !== undefined, 'the response to the first request 99');
      client.send({ jsonrpc: '2.0', id: 99, method: 'cell/execute', params: { sessionId: 's', source: 'await tools.gate(); text("first")', tools: [{ name: 'gate' }] } });
      const gate = await client.hostRequest('delegate/invokeTool');
      await client.request('session/open', { sessionId: 'dup' }, 99);
      client.answer(gate, { result: null });
      await first;
      await client.notification('cell/closed');
      await client.call('session/open', { sessionId: 'dup' });
    },
  },
  {
    name: 'transport-unknown-method',
    description: ['An unknown request gets -32601; an unknown notification and a response with an unknown id are ignored.'],
    async run(client) {
      await start(client);
      client.notify('no/such/notification', { x: 1 });
      await client.request('no/such', {});
      client.send({ jsonrpc: '2.0', id: 12345, result: { result: 1 } });
      await client.call('session/open', {});
    },
  },
  {
    name: 'transport-invalid-params',
    description: [
      'Params with an unknown key, a missing key or a wrong type get -32602 with data.errors [{path, message}];',
      '"params": null counts as absent.',
    ],
    async run(client) {
      await start(client);
      await client.request('session/open', { sessionId: 's', extra: true });
      await client.request('session/close', {});
      await client.request('cell/execute', { sessionId: 's', source: 5 });
      await client.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: -1 });
      await client.request('cell/execute', { sessionId: 's', source: '1', tools: [{ name: 'x', kind: 'weird' }] });
      await client.request('shutdown', { now: true });
      await client.request('initialize', { protocolVersion: '1' });
      await client.request('session/open', null);
      await client.request('shutdown', null);
    },
  },
  {
    name: 'transport-header-spelling',
    description: ['Header names are case-insensitive and the charset may be spelled utf8.'],
    async run(client) {
      await start(client);
      const body = JSON.stringify({ jsonrpc: '2.0', id: 'h', method: 'session/open', params: { sessionId: 'e' } });
      const response = client.waitFor((m) => m.id === 'h', 'the response to h');
      client.sendRaw(`content-length: ${Buffer.byteLength(body)}\r\nCONTENT-TYPE: application/vscode-jsonrpc; charset=utf8\r\n\r\n${body}`);
      await response;
    },
  },
  fatalHeader('transport-fatal-no-content-length', 'no Content-Length', 'Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}'),
  fatalHeader('transport-fatal-bad-length', 'a negative Content-Length', 'Content-Length: -5\r\n\r\n{}'),
  fatalHeader('transport-fatal-charset', 'a charset other than UTF-8', 'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}'),
  fatalHeader('transport-fatal-long-header', 'a header block over 8 KiB', `X-Padding: ${'p'.repeat(9000)}\r\nContent-Length: 2\r\n\r\n{}`),
];

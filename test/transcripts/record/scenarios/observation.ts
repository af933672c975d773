/** docs/protocol.md, Observing cells: rules 1 to 7, output streaming and truncation. */
import type { Scenario } from '../scenario.js';
import { start, type ScriptedClient } from '../scriptedClient.js';

/**
 * A session `s` and a cell blocked on tools.gate(). With `detached`, the execute's window is then
 * ended by cell/yield, so its response always lists the call in pendingToolCalls (a timer of 0
 * would race the call).
 */
async function gatedCell(client: ScriptedClient, source: string, options: { yieldTimeMs?: number; detached?: boolean } = {}) {
  await start(client);
  await client.call('session/open', { sessionId: 's' });
  const execute = client.request('cell/execute', { sessionId: 's', source, tools: [{ name: 'gate' }], ...(options.yieldTimeMs === undefined ? {} : { yieldTimeMs: options.yieldTimeMs }) });
  const gate = await client.hostRequest('delegate/invokeTool');
  if (options.detached === true) {
    await client.call('cell/yield', { sessionId: 's', cellId: '1' });
    await execute;
  }
  return { execute, gate };
}

export const observation: Scenario[] = [
  {
    name: 'observe-window-timer',
    description: ['Rule 2: the execute window ends when yieldTimeMs passes, giving yielded with the output so far and the pending tool call;', 'a wait then returns the rest.'],
    async run(client) {
      const { execute, gate } = await gatedCell(client, 'text("a"); await tools.gate(); text("b")', { yieldTimeMs: 100 });
      await execute;
      const rest = client.request('cell/wait', { sessionId: 's', cellId: '1' });
      client.answer(gate, { result: null });
      await rest;
    },
  },
  {
    name: 'observe-yield-control',
    description: ['Rule 2: yield_control() ends the window at once (yielded); the cell keeps running and a wait gets the rest.'],
    async run(client) {
      const { execute, gate } = await gatedCell(client, 'text("before"); yield_control(); await tools.gate(); text("after")', { yieldTimeMs: 60_000 });
      await execute;
      const rest = client.request('cell/wait', { sessionId: 's', cellId: '1' });
      client.answer(gate, { result: null });
      await rest;
    },
  },
  {
    name: 'observe-cell-yield',
    description: ['Rule 2: cell/yield ends the active window (yielded: true); with no observer, or for an unknown cell, it gives yielded: false.'],
    async run(client) {
      const { execute } = await gatedCell(client, 'text("x"); await tools.gate()', { yieldTimeMs: 60_000 });
      await client.call('cell/yield', { sessionId: 's', cellId: '1' });
      await execute;
      await client.call('cell/yield', { sessionId: 's', cellId: '1' });
      await client.call('cell/yield', { sessionId: 's', cellId: '99' });
    },
  },
  {
    name: 'observe-one-observer',
    description: ['Rule 1: a second concurrent wait gets -32020 CellBusy and does not displace the first.'],
    async run(client) {
      const { gate } = await gatedCell(client, 'await tools.gate(); text("done")', { detached: true });
      const first = client.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      await client.request('cell/wait', { sessionId: 's', cellId: '1' });
      client.answer(gate, { result: null });
      await first;
    },
  },
  {
    name: 'observe-no-repeat',
    description: ['Rule 3: output is never repeated; each observation drains what was buffered since the previous one.'],
    async run(client) {
      const { execute, gate } = await gatedCell(client, 'text(0); yield_control(); text(1); await tools.gate(); text(2)', { yieldTimeMs: 60_000 });
      await execute;
      await client.call('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 0 });
      const last = client.request('cell/wait', { sessionId: 's', cellId: '1' });
      client.answer(gate, { result: null });
      await last;
    },
  },
  {
    name: 'observe-background-completion',
    description: [
      'Rule 4: a cell that finishes with no observer sends cell/closed with resultPending: true at once;',
      'the next wait returns its result; after that the cell is missing.',
    ],
    async run(client) {
      const { gate } = await gatedCell(client, 'await tools.gate(); text("done")', { detached: true });
      client.answer(gate, { result: null });
      await client.notification('cell/closed');
      await client.call('cell/wait', { sessionId: 's', cellId: '1' });
      await client.call('cell/wait', { sessionId: 's', cellId: '1' });
    },
  },
  {
    name: 'observe-late-terminate',
    description: ['Rule 5: natural completion wins over a late terminate, which returns completed with the result; then the cell is missing.'],
    async run(client) {
      const { gate } = await gatedCell(client, 'await tools.gate(); text("done")', { detached: true });
      client.answer(gate, { result: null });
      await client.notification('cell/closed');
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
    },
  },
  {
    name: 'observe-cancel-execute',
    description: ['Rule 6: $/cancelRequest on an in-flight execute answers it -32800 with data.cellId; the cell keeps running.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'await tools.gate(); text("still ran")', tools: [{ name: 'gate' }], yieldTimeMs: 60_000 }, 'ex');
      const gate = await client.hostRequest('delegate/invokeTool');
      client.notify('$/cancelRequest', { id: 'ex' });
      await execute;
      const result = client.request('cell/wait', { sessionId: 's', cellId: '1' });
      client.answer(gate, { result: null });
      await result;
    },
  },
  {
    name: 'observe-cancel-wait',
    description: ['Rule 6: $/cancelRequest on a wait answers it -32800 and detaches it, so a new wait is accepted at once.'],
    async run(client) {
      const { gate } = await gatedCell(client, 'await tools.gate(); text("done")', { detached: true });
      const long = client.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 }, 'w1');
      client.notify('$/cancelRequest', { id: 'w1' });
      await long;
      const next = client.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      client.answer(gate, { result: null });
      await next;
    },
  },
  {
    name: 'observe-store',
    description: [
      'Rule 7: a cell reads a snapshot of the store taken when it starts; its writes commit when it completes,',
      'also when it fails; a terminated cell commits nothing; load gives a fresh copy.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const run = (source: string) => client.call('cell/execute', { sessionId: 's', source });
      await run('store("a", {n: 1})');
      await run('const v = load("a"); v.n = 99; text(load("a").n)');
      const gated = client.request('cell/execute', { sessionId: 's', source: 'store("b", 1); await tools.gate(); store("b", 2)', tools: [{ name: 'gate' }] });
      const gate = await client.hostRequest('delegate/invokeTool');
      await client.call('cell/yield', { sessionId: 's', cellId: '3' });
      await gated;
      await run('text(String(load("b")))');
      client.answer(gate, { result: null });
      await client.notification('cell/closed', (p) => p.cellId === '3');
      await run('text(load("b"))');
      await run('store("c", "failed"); throw new Error("x")');
      await run('text(load("c"))');
      await client.call('cell/execute', { sessionId: 's', source: 'store("d", 1); await new Promise(() => {})', yieldTimeMs: 0 });
      await client.call('cell/terminate', { sessionId: 's', cellId: '8' });
      await run('text(String(load("d")))');
    },
  },
  {
    name: 'observe-cell-output',
    description: ['With capabilities.cellOutput, cell/output streams items as the cell makes them; the observation still returns them.'],
    async run(client) {
      await start(client, { cellOutput: true });
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'text("one"); await tools.gate(); text("two")', tools: [{ name: 'gate' }] });
      const gate = await client.hostRequest('delegate/invokeTool');
      await client.notification('cell/output');
      client.answer(gate, { result: null });
      await execute;
      await client.notification('cell/output');
      await client.notification('cell/closed');
    },
  },
  {
    name: 'observe-max-output-tokens',
    description: ['maxOutputTokens (4 bytes a token) cuts the middle of the text with a marker and keeps images.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('cell/execute', { sessionId: 's', source: 'text("a".repeat(100)); image("data:image/png;base64,AAAA"); text("z".repeat(100))', maxOutputTokens: 10 });
    },
  },
  {
    name: 'observe-max-yield-time',
    description: ['The session maxYieldTimeMs caps every observation window (execute and wait) of that session only.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's', limits: { maxYieldTimeMs: 1 } });
      await client.call('session/open', { sessionId: 't', limits: { maxYieldTimeMs: 60_000 } });
      await client.call('cell/execute', { sessionId: 's', source: 'await new Promise(() => {})', yieldTimeMs: 60_000 });
      await client.call('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      // In t the window lasts until the tool call is answered, a round trip later.
      const other = client.request('cell/execute', { sessionId: 't', source: 'text(await tools.gate())', tools: [{ name: 'gate' }], yieldTimeMs: 60_000 });
      client.answer(await client.hostRequest('delegate/invokeTool'), { result: 't' });
      await other;
    },
  },
];

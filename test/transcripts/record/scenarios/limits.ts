/** docs/protocol.md, Lifecycle, Sessions and Delegate calls: session limits end a cell, host limits refuse requests. */
import type { Scenario } from '../scenario.js';
import { start, type ScriptedClient } from '../scriptedClient.js';

async function session(client: ScriptedClient, limits?: Record<string, unknown>) {
  await start(client);
  await client.call('session/open', limits === undefined ? { sessionId: 's' } : { sessionId: 's', limits });
}

const execute = (client: ScriptedClient, source: string, extra: Record<string, unknown> = {}) => client.call('cell/execute', { sessionId: 's', source, ...extra });

export const limits: Scenario[] = [
  {
    name: 'limits-cpu-time',
    description: ['cpuTimeLimitMs ends a CPU-bound cell: completed with an error naming the limit; the session stays usable.'],
    async run(client) {
      await session(client, { cpuTimeLimitMs: 200 });
      await execute(client, 'await null; while (true) {}');
      await execute(client, 'text("next")');
    },
  },
  {
    name: 'limits-wall-time',
    description: ['wallTimeLimitMs ends a cell that waits too long: completed with an error naming the limit.'],
    async run(client) {
      await session(client, { wallTimeLimitMs: 300 });
      await execute(client, 'await new Promise(() => {})');
    },
  },
  {
    name: 'limits-heap',
    description: ['heapLimitMb ends a memory bomb with an error naming the limit; the session stays usable.'],
    async run(client) {
      await session(client, { heapLimitMb: 16 });
      await execute(client, 'const a = []; while (true) a.push({ x: Math.random(), y: "y".repeat(100) })');
      await execute(client, 'text("after")');
    },
  },
  {
    name: 'limits-output-bytes',
    description: ['maxOutputBytes drops items past the bound and marks the loss with one text item.'],
    async run(client) {
      await session(client, { maxOutputBytes: 1024 });
      await execute(client, 'for (let i = 0; i < 100; i++) text("x".repeat(100))');
    },
  },
  {
    name: 'limits-stored-bytes',
    description: ['maxStoredBytes makes store throw in JavaScript.'],
    async run(client) {
      await session(client, { maxStoredBytes: 100 });
      await execute(client, 'store("k", "x".repeat(50)); try { store("big", "y".repeat(100)) } catch (e) { text("refused") }');
    },
  },
  {
    name: 'limits-pending-tool-calls',
    description: ['maxPendingToolCalls: a call beyond the limit rejects in JavaScript; the unanswered ones are cancelled when the cell ends.'],
    async run(client) {
      await session(client, { maxPendingToolCalls: 2 });
      const done = client.request('cell/execute', { sessionId: 's', source: 'tools.a(); tools.a(); try { await tools.a() } catch (e) { text("rejected") }', tools: [{ name: 'a' }] });
      await client.hostRequest('delegate/invokeTool');
      await client.hostRequest('delegate/invokeTool');
      await done;
      await client.notification('cell/closed');
    },
  },
  {
    name: 'limits-pending-delegate-calls',
    description: ['With --max-pending-delegate-calls 2 a third unanswered delegate request on the connection rejects in JavaScript; nothing else is affected.'],
    hostArgs: ['--max-pending-delegate-calls', '2'],
    async run(client) {
      await session(client);
      const done = client.request('cell/execute', { sessionId: 's', source: 'tools.a(); tools.a(); try { await tools.a() } catch (e) { text("rejected") }', tools: [{ name: 'a' }] });
      await client.hostRequest('delegate/invokeTool');
      await client.hostRequest('delegate/invokeTool');
      await done;
      await client.notification('cell/closed');
      await execute(client, 'text("fine")');
    },
  },
  {
    name: 'limits-active-cells',
    description: ['With --max-active-cells 1 a second live cell is refused with -32030 (data.limit maxActiveCells); ending the first makes room.'],
    hostArgs: ['--max-active-cells', '1'],
    async run(client) {
      await session(client);
      await execute(client, 'await new Promise(() => {})', { yieldTimeMs: 0 });
      await client.request('cell/execute', { sessionId: 's', source: '1' });
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.notification('cell/closed');
      await execute(client, '1');
    },
  },
  {
    name: 'limits-in-flight-requests',
    description: ['With --max-in-flight-requests 2 a third concurrent request gets -32030 (data.limit maxInFlightRequests).'],
    hostArgs: ['--max-in-flight-requests', '2'],
    async run(client) {
      await session(client);
      const a = client.request('cell/execute', { sessionId: 's', source: 'await tools.gate()', tools: [{ name: 'gate' }] });
      const gateA = await client.hostRequest('delegate/invokeTool');
      const b = client.request('cell/execute', { sessionId: 's', source: 'await tools.gate()', tools: [{ name: 'gate' }] });
      const gateB = await client.hostRequest('delegate/invokeTool');
      await client.request('session/open', {});
      client.answer(gateA, { result: null });
      await a;
      client.answer(gateB, { result: null });
      await b;
      await client.call('session/open', {});
    },
  },
];

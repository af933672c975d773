/** docs/protocol.md, Cells and The cell's environment: executing cells, their ids, errors, languages and tools. */
import type { Scenario } from '../scenario.js';
import { start } from '../scriptedClient.js';

export const cells: Scenario[] = [
  {
    name: 'cells-worked-exchange',
    description: ['The worked exchange of docs/protocol.md: a cell calls a tool, the client answers, the cell completes.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's1' });
      const execute = client.request('cell/execute', { sessionId: 's1', source: 'const r = await tools.add({a: 2, b: 3}); text(r * 7)', tools: [{ name: 'add' }] });
      const call = await client.hostRequest('delegate/invokeTool');
      client.answer(call, { result: call.params.input.a + call.params.input.b });
      await execute;
      await client.notification('cell/closed');
    },
  },
  {
    name: 'cells-ids-and-errors',
    description: [
      'Cell ids are "1", "2", ... per session, never reused; a thrown error completes the cell with its stack',
      '(or string form); imports fail naming the specifier; TypeScript has its types stripped; the session stays usable.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('session/open', { sessionId: 't' });
      await client.call('cell/execute', { sessionId: 's', source: 'text(1)' });
      await client.call('cell/execute', { sessionId: 's', source: 'text("before");\nthrow new TypeError("boom")' });
      await client.call('cell/execute', { sessionId: 't', source: 'throw "plain"' });
      await client.call('cell/execute', { sessionId: 's', source: 'import fs from "fs";\ntext(1)' });
      await client.call('cell/execute', { sessionId: 's', source: 'interface P { x: number }\nconst p: P = { x: 4 };\ntext(p.x * 2)', language: 'typescript' });
      await client.call('cell/execute', { sessionId: 's', source: 'const x: number = 1' });
      await client.call('cell/execute', { sessionId: 't', source: 'text("t2")' });
    },
  },
  {
    name: 'cells-tool-names',
    description: [
      'A tool\'s JavaScript name is its qualified name made identifier-safe, and ALL_TOOLS lists them;',
      'delegate/invokeTool carries the original name and namespace; two tools with one JavaScript name get -32602.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', {
        sessionId: 's',
        source: 'text(ALL_TOOLS); text(await tools.mcp__search__web_query())',
        tools: [
          { name: 'web-query', namespace: 'mcp__search', description: 'search the web' },
          { name: '1st', description: 'first' },
        ],
      });
      const call = await client.hostRequest('delegate/invokeTool');
      client.answer(call, { result: call.params.tool });
      await execute;
      await client.notification('cell/closed');
      await client.request('cell/execute', { sessionId: 's', source: '1', tools: [{ name: 'a-b' }, { name: 'a.b' }] });
    },
  },
  {
    name: 'cells-terminate',
    description: [
      'cell/terminate stops a CPU-bound loop and gives terminated (cell/closed terminated follows);',
      'an unknown or collected cell is missing; the session stays usable.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('cell/execute', { sessionId: 's', source: 'text("spin"); yield_control(); await null; while (true) {}' });
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.notification('cell/closed');
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.call('cell/terminate', { sessionId: 's', cellId: '42' });
      await client.call('cell/execute', { sessionId: 's', source: 'text("alive")' });
    },
  },
  {
    name: 'cells-terminate-observed',
    description: ['A terminate while a wait observes the cell: the observer and the terminator both get terminated.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('cell/execute', { sessionId: 's', source: 'text("o"); yield_control(); await null; while (true) {}' });
      const waiting = client.request('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 60_000 });
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await waiting;
    },
  },
];

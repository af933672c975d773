/** docs/protocol.md, Delegate calls: delegate/invokeTool, delegate/notify, and the cancellation of unanswered calls. */
import type { Scenario } from '../scenario.js';
import { start } from '../scriptedClient.js';

export const delegate: Scenario[] = [
  {
    name: 'delegate-error-response',
    description: ['An error response to delegate/invokeTool rejects the JavaScript promise with an Error carrying its message.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'try { await tools.weather("x") } catch (e) { text(String(e instanceof Error) + " " + e.message) }', tools: [{ name: 'weather' }] });
      client.answerError(await client.hostRequest('delegate/invokeTool'), -32000, 'no such city');
      await execute;
    },
  },
  {
    name: 'delegate-call-params',
    description: ['delegate/invokeTool carries toolCallId, tool name and namespace, kind and input (null when absent); callIds are tool-1, tool-2, ... per cell.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'await tools.ns__run("raw text"); await tools.ns__run()', toolCallId: 'call-9', tools: [{ name: 'run', namespace: 'ns', kind: 'freeform' }] });
      client.answer(await client.hostRequest('delegate/invokeTool'), { result: null });
      client.answer(await client.hostRequest('delegate/invokeTool'), { result: null });
      await execute;
    },
  },
  {
    name: 'delegate-cancel-on-completion',
    description: ['A cell that completes with an unawaited tool call: the host sends $/cancelRequest for it before cell/closed.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'tools.slow(); text(await tools.fast())', tools: [{ name: 'slow' }, { name: 'fast' }] });
      const fast = await client.hostRequest('delegate/invokeTool', (p) => p.tool.name === 'fast');
      client.answer(fast, { result: 'fast' });
      await execute;
      await client.notification('$/cancelRequest');
      await client.notification('cell/closed');
    },
  },
  {
    name: 'delegate-cancel-on-terminate',
    description: [
      'Unanswered calls are listed in pendingToolCalls; terminate cancels each with $/cancelRequest;',
      'a late answer to a cancelled call is ignored.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'await Promise.all([tools.a(), tools.a()])', tools: [{ name: 'a' }] });
      const first = await client.hostRequest('delegate/invokeTool');
      await client.hostRequest('delegate/invokeTool');
      await client.call('cell/yield', { sessionId: 's', cellId: '1' });
      await execute;
      await client.call('cell/wait', { sessionId: 's', cellId: '1', yieldTimeMs: 0 });
      await client.call('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.notification('cell/closed');
      client.answer(first, { result: 1 });
      await client.call('cell/execute', { sessionId: 's', source: 'text("ok")' });
    },
  },
  {
    name: 'delegate-notify',
    description: ['notify() sends delegate/notify at once; the cell completes only after it is answered.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      const execute = client.request('cell/execute', { sessionId: 's', source: 'notify("progress 50%"); text("end")', toolCallId: 'c1' });
      const note = await client.hostRequest('delegate/notify');
      client.answer(note, null);
      await execute;
    },
  },
];

/** docs/protocol.md, Sessions and Ordering item 3 (cell/closed before the session/close and shutdown responses). */
import type { Scenario } from '../scenario.js';
import { start } from '../scriptedClient.js';

const forever = 'await new Promise(() => {})';

export const sessions: Scenario[] = [
  {
    name: 'sessions-open-close',
    description: [
      'session/open gives the id and every effective limit; omitted ids are session-1, session-2, ... skipping used ones;',
      'an open or earlier id gets -32011 (tombstones); session/close gives {sessionId}; a closed session gets -32010 everywhere.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 'a.B:c-1_2', limits: { heapLimitMb: 64, wallTimeLimitMs: 5000 } });
      await client.call('session/open', { sessionId: 'session-2' });
      await client.call('session/open', {});
      await client.call('session/open');
      await client.call('session/open', { sessionId: 's' });
      await client.request('session/open', { sessionId: 's' });
      await client.call('session/close', { sessionId: 's' });
      await client.request('session/open', { sessionId: 's' });
      await client.request('session/close', { sessionId: 's' });
      await client.request('cell/execute', { sessionId: 's', source: '1' });
      await client.request('cell/wait', { sessionId: 's', cellId: '1' });
      await client.request('cell/terminate', { sessionId: 's', cellId: '1' });
      await client.request('cell/yield', { sessionId: 's', cellId: '1' });
    },
  },
  {
    name: 'sessions-invalid',
    description: ['Session ids outside [A-Za-z0-9._:-]{1,128} and limits out of range get -32602 naming the offending value.'],
    async run(client) {
      await start(client);
      for (const sessionId of ['', 'a b', 'ä', 'x'.repeat(129), 'a/b']) await client.request('session/open', { sessionId });
      await client.call('session/open', { sessionId: 'x'.repeat(128) });
      for (const limits of [{ heapLimitMb: 7 }, { heapLimitMb: 1e9 }, { cpuTimeLimitMs: 0 }, { maxOutputBytes: -1 }, { maxPendingToolCalls: 1.5 }, { bogus: 1 }]) {
        await client.request('session/open', { limits });
      }
    },
  },
  {
    name: 'sessions-max-sessions',
    description: ['With --max-sessions 2 a third session/open gets -32030 with data.limit maxSessions; closing one makes room.'],
    hostArgs: ['--max-sessions', '2'],
    async run(client) {
      await start(client);
      await client.call('session/open', {});
      await client.call('session/open', {});
      await client.request('session/open', {});
      await client.call('session/close', { sessionId: 'session-1' });
      await client.call('session/open', {});
    },
  },
  {
    name: 'sessions-closing',
    description: ['A request naming a session that is closing gets -32012; the close itself completes.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      // A CPU-bound cell takes a while to terminate, so the next request lands while the session closes.
      await client.call('cell/execute', { sessionId: 's', source: 'await null; while (true) {}', yieldTimeMs: 0 });
      const close = client.request('session/close', { sessionId: 's' }, 'close');
      await client.request('cell/execute', { sessionId: 's', source: '1' }, 'late');
      await close;
    },
  },
  {
    name: 'sessions-close-ends-cells',
    description: [
      'session/close terminates every live cell, cancels its dispatched tool calls with $/cancelRequest, answers',
      'in-flight waits, and sends every cell/closed of the session before its response.',
    ],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('session/open', { sessionId: 'other' });
      const first = client.request('cell/execute', { sessionId: 's', source: 'await tools.never()', tools: [{ name: 'never' }] });
      await client.hostRequest('delegate/invokeTool');
      await client.call('cell/yield', { sessionId: 's', cellId: '1' });
      await first;
      await client.call('cell/execute', { sessionId: 's', source: 'await null; while (true) {}', yieldTimeMs: 0 });
      const waiting = client.request('cell/wait', { sessionId: 's', cellId: '2', yieldTimeMs: 60_000 });
      await client.call('session/close', { sessionId: 's' });
      await waiting;
      await client.call('cell/execute', { sessionId: 'other', source: 'text("other still works")' });
    },
  },
  {
    name: 'shutdown-ends-cells',
    description: ['shutdown terminates the cells of every session and sends every cell/closed before its null result.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 'a' });
      await client.call('session/open', { sessionId: 'b' });
      await client.call('cell/execute', { sessionId: 'a', source: forever, yieldTimeMs: 0 });
      await client.call('cell/execute', { sessionId: 'b', source: 'await null; while (true) {}', yieldTimeMs: 0 });
      await client.request('shutdown');
      client.notify('exit');
    },
  },
];

/** docs/protocol.md, Lifecycle: initialize, initialized, shutdown, exit, EOF. */
import type { Scenario } from '../scenario.js';
import { start } from '../scriptedClient.js';

export const lifecycle: Scenario[] = [
  {
    name: 'lifecycle-initialize-shutdown-exit',
    description: [
      'initialize gives protocolVersion 1, serverInfo, capabilities and every HostLimits default;',
      'unknown capabilities are ignored; initialized is accepted; shutdown gives null; exit then exits 0.',
    ],
    async run(client) {
      await client.request('initialize', { protocolVersion: 1, clientInfo: { name: 'transcript', version: '1' }, capabilities: { cellOutput: false, futureThing: true } });
      client.notify('initialized', {});
      await client.call('session/open', { sessionId: 's' });
      await client.request('shutdown');
      client.notify('exit');
    },
  },
  {
    name: 'lifecycle-before-initialize',
    description: [
      'Before initialize: notifications are ignored, every request gets -32002 (unknown ones too);',
      'protocolVersion 2 gets -32602 with supportedVersions [1] and does not initialize;',
      'a second initialize gets -32600.',
    ],
    async run(client) {
      client.notify('initialized', {});
      client.notify('cell/whatever', {});
      await client.request('session/open', {});
      await client.request('no/such', {});
      await client.request('initialize', { protocolVersion: 2 });
      await client.request('initialize', { protocolVersion: 1 });
      client.notify('initialized', {});
      await client.request('initialize', { protocolVersion: 1 });
    },
  },
  {
    name: 'lifecycle-after-shutdown',
    description: ['After shutdown every request gets -32012 ShuttingDown (initialize, shutdown and unknown methods too); exit then exits 0.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's1' });
      await client.request('shutdown');
      await client.request('session/open', {});
      await client.request('initialize', { protocolVersion: 1 });
      await client.request('shutdown');
      await client.request('no/such');
      client.notify('exit');
    },
  },
  {
    name: 'lifecycle-exit-without-shutdown',
    description: ['exit without a shutdown first: the host exits with status 1.'],
    async run(client) {
      await start(client);
      client.notify('exit');
    },
  },
  {
    name: 'lifecycle-exit-before-initialize',
    description: ['exit before initialize: the host exits with status 1.'],
    async run(client) {
      client.notify('exit');
    },
  },
  {
    name: 'lifecycle-eof',
    description: ['stdin EOF tears down like shutdown (the live cell is closed) and the host exits 0.'],
    async run(client) {
      await start(client);
      await client.call('session/open', { sessionId: 's' });
      await client.call('cell/execute', { sessionId: 's', source: 'await new Promise(() => {})', yieldTimeMs: 0 });
    },
  },
];

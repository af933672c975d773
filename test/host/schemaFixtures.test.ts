/**
 * The schema fixtures, through real dispatch: every reject fixture of a client request gets
 * -32602 at the fixture's path from a real host, and every accept fixture gets past validation.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MethodTable, Methods, type MethodName } from '../../schemas/index.js';
import { RawHost, type Message } from '../support/rawHost.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/', import.meta.url));

interface Fixture {
  file: string;
  description: string;
  params?: unknown;
  path?: string;
}

function fixtures(kind: 'accept' | 'reject', method: MethodName): Fixture[] {
  const dir = `${FIXTURES}${kind}/${method.replaceAll('/', '.')}`;
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ file, ...(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as Omit<Fixture, 'file'>) }));
}

const requests = (Object.keys(MethodTable) as MethodName[]).filter((m) => MethodTable[m].direction !== 'hostToClient' && MethodTable[m].kind === 'request');

describe('schema fixtures through real dispatch', function () {
  let initialized: RawHost;
  let uninitialized: RawHost;
  before(async () => {
    initialized = await RawHost.start();
    uninitialized = new RawHost();
  });
  after(async () => {
    for (const host of [initialized, uninitialized]) {
      host.kill();
      await host.exited;
    }
  });

  const send = (host: RawHost, method: string, fixture: Fixture): Promise<Message> =>
    'params' in fixture ? host.request(method, fixture.params) : host.request(method);

  for (const method of requests) {
    describe(method, () => {
      for (const fixture of fixtures('reject', method)) {
        it(`rejects ${fixture.file}: ${fixture.description}`, async () => {
          const host = method === Methods.initialize ? uninitialized : initialized;
          const response = await send(host, method, fixture);
          expect(response.error?.code, JSON.stringify(response)).to.equal(-32602);
          expect(response.error?.data?.kind).to.equal('InvalidParams');
          expect(response.error?.data?.errors?.[0]?.path).to.equal(fixture.path);
        });
      }
      for (const fixture of fixtures('accept', method)) {
        it(`accepts ${fixture.file}: ${fixture.description}`, async () => {
          // Accepting initialize or shutdown changes the host's state, so those get a host each.
          const own = method === Methods.initialize ? new RawHost() : method === Methods.shutdown ? await RawHost.start() : undefined;
          try {
            const response = await send(own ?? initialized, method, fixture);
            expect(response.error?.code, JSON.stringify(response.error)).to.not.be.oneOf([-32600, -32601, -32602]);
          } finally {
            own?.kill();
            await own?.exited;
          }
        });
      }
    });
  }

  it('ignores client notifications whose params fail their schema', async () => {
    for (const method of [Methods.initialized, Methods.cancelRequest]) {
      for (const fixture of fixtures('reject', method)) {
        const before = initialized.received.length;
        initialized.notify(method, fixture.params);
        await initialized.call('cell/yield', { sessionId: 'none', cellId: '1' }).catch(() => undefined);
        expect(initialized.received.slice(before), `${method} ${fixture.file}`).to.have.length(1);
      }
    }
  });
});

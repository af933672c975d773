/**
 * The warm sandbox process: the host starts it once the handshake is done (`initialized`), so the
 * answer to `initialize` never waits for a process spawn and a first cell finds one started; a
 * client that never sends `initialized` gets one from its first cell. The host disposes it on
 * every way out.
 */
import { expect } from 'chai';
import { execute, openSession, texts } from '../support/cells.js';
import { sandboxPids } from '../support/containment.js';
import { isRunning } from '../support/processes.js';
import { RawHost } from '../support/rawHost.js';
import { until } from '../client/helpers.js';

/**
 * A host past its handshake, and its warm sandbox process. A request answered after `initialized`
 * was sent shows the notification was handled (the host handles messages in arrival order).
 */
async function initializedHost(): Promise<{ host: RawHost; sandbox: number }> {
  const host = await RawHost.start();
  await openSession(host, 'probe');
  const pids = sandboxPids(host);
  expect(pids).to.have.length(1);
  return { host, sandbox: pids[0]! };
}

describe('warm sandbox process', function () {
  this.timeout(30_000);

  it('is not started before the handshake is done; without initialized, the first cell starts it', async () => {
    const host = new RawHost();
    try {
      host.notify('initialized', {});
      const init = await host.request('initialize', { protocolVersion: 1 });
      expect(init.error).to.equal(undefined);
      await openSession(host);
      expect(sandboxPids(host)).to.deep.equal([]);
      const response = await execute(host, { source: 'text(1)' });
      expect(response).to.deep.include({ status: 'completed', error: null });
      expect(sandboxPids(host)).to.have.length(1);
    } finally {
      host.kill();
      await host.exited;
    }
  });

  it('is started on initialized, runs the first cell, and a second initialized starts no other', async () => {
    const { host, sandbox } = await initializedHost();
    try {
      host.notify('initialized', {});
      await openSession(host);
      const response = await execute(host, { source: 'text(1)' });
      expect(response).to.deep.include({ status: 'completed', error: null });
      expect(texts(response)).to.deep.equal(['1']);
      expect(sandboxPids(host)).to.deep.equal([sandbox]);
    } finally {
      host.kill();
      await host.exited;
    }
  });

  const ways: Array<[string, (host: RawHost) => void, number]> = [
    ['stdin EOF', (host) => host.child.stdin.end(), 0],
    ['exit without shutdown', (host) => host.notify('exit'), 1],
    ['an unparseable frame header', (host) => host.writeRaw('Content-Length: nope\r\n\r\n'), 2],
    ['SIGTERM', (host) => host.child.kill('SIGTERM'), 0],
  ];
  for (const [way, end, status] of ways) {
    it(`is gone when the host exits on ${way}`, async () => {
      const { host, sandbox } = await initializedHost();
      expect(isRunning(sandbox)).to.equal(true);
      end(host);
      expect(await host.exited).to.deep.equal({ code: status, signal: null });
      await until(`sandbox process ${sandbox} to be gone`, () => !isRunning(sandbox));
    });
  }
});

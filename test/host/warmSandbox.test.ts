/**
 * The warm sandbox process starts with the host, before the handshake, so that a first cell does
 * not wait for a whole process start; the host disposes it on every way out, even one before
 * `initialize`.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { execute, openSession, texts } from '../support/cells.js';
import { sandboxPids } from '../support/containment.js';
import { RawHost } from '../support/rawHost.js';
import { until } from '../client/helpers.js';

/** Whether `pid` is a live process (not gone, not a zombie waiting to be reaped). */
function running(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // The state follows the command name, which is in parentheses and may hold spaces.
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

/** A host that has not been initialized, once it listens (its sandbox process started before that). */
async function listeningHost(): Promise<{ host: RawHost; sandbox: number }> {
  const host = new RawHost();
  await host.stderrMatching(/codemode-host \S+ ready/);
  const pids = sandboxPids(host);
  expect(pids).to.have.length(1);
  return { host, sandbox: pids[0]! };
}

describe('warm sandbox process', function () {
  this.timeout(30_000);

  it('is started before initialize is answered, and runs the first cell', async () => {
    const host = new RawHost();
    try {
      const init = await host.request('initialize', { protocolVersion: 1 });
      expect(init.error).to.equal(undefined);
      const warm = sandboxPids(host);
      expect(warm).to.have.length(1);
      await openSession(host);
      const response = await execute(host, { source: 'text(1)' });
      expect(response).to.deep.include({ status: 'completed', error: null });
      expect(texts(response)).to.deep.equal(['1']);
      expect(sandboxPids(host)).to.deep.equal(warm);
    } finally {
      host.kill();
      await host.exited;
    }
  });

  const ways: Array<[string, (host: RawHost) => void, number]> = [
    ['stdin EOF before initialize', (host) => host.child.stdin.end(), 0],
    ['exit before initialize', (host) => host.notify('exit'), 1],
    ['an unparseable frame header', (host) => host.writeRaw('Content-Length: nope\r\n\r\n'), 2],
    ['SIGTERM', (host) => host.child.kill('SIGTERM'), 0],
  ];
  for (const [way, end, status] of ways) {
    it(`is gone when the host exits on ${way}`, async () => {
      const { host, sandbox } = await listeningHost();
      expect(running(sandbox)).to.equal(true);
      end(host);
      expect(await host.exited).to.deep.equal({ code: status, signal: null });
      await until(`sandbox process ${sandbox} to be gone`, () => !running(sandbox));
    });
  }
});

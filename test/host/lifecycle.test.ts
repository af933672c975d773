import { expect } from 'chai';
import { SPEC_HOST_LIMITS } from '../support/protocolDefaults.js';
import { RawHost } from '../support/rawHost.js';

describe('host lifecycle', function () {
  let hosts: RawHost[] = [];
  const track = (host: RawHost) => (hosts.push(host), host);
  afterEach(async () => {
    for (const host of hosts) {
      host.kill();
      await host.exited;
    }
    hosts = [];
  });

  it('answers initialize with version, capabilities and every host limit', async () => {
    const host = track(new RawHost());
    const response = await host.request('initialize', { protocolVersion: 1, clientInfo: { name: 't', version: '1' }, capabilities: { cellOutput: true, future: 1 } });
    expect(response.error).to.equal(undefined);
    const result = response.result as any;
    expect(result.protocolVersion).to.equal(1);
    expect(result.serverInfo.name).to.equal('codemode-host');
    expect(result.serverInfo.version).to.match(/^\d+\.\d+\.\d+/);
    expect(result.capabilities).to.deep.include({ cellOutput: true, cellYield: true });
    expect(result.capabilities.languages).to.deep.equal(['javascript', 'typescript']);
    expect(result.limits).to.deep.equal(SPEC_HOST_LIMITS);
  });

  it('answers every request before initialize with -32002 and ignores notifications', async () => {
    const host = track(new RawHost());
    host.notify('initialized', {});
    host.notify('cell/whatever', {});
    const response = await host.request('session/open', {}, 7);
    expect(response.id).to.equal(7);
    expect(response.error?.code).to.equal(-32002);
    expect(response.error?.data?.kind).to.equal('ServerNotInitialized');
    const unknown = await host.request('no/such', {}, 8);
    expect(unknown.error?.code).to.equal(-32002);
    const init = await host.request('initialize', { protocolVersion: 1 });
    expect(init.error).to.equal(undefined);
  });

  it('rejects an unsupported protocol version with -32602 and supportedVersions', async () => {
    const host = track(new RawHost());
    const response = await host.request('initialize', { protocolVersion: 2 });
    expect(response.error?.code).to.equal(-32602);
    expect(response.error?.data?.kind).to.equal('InvalidParams');
    expect(response.error?.data?.supportedVersions).to.deep.equal([1]);
    const retry = await host.request('initialize', { protocolVersion: 1 });
    expect(retry.error).to.equal(undefined);
  });

  it('rejects a second initialize with -32600', async () => {
    const host = track(await RawHost.start());
    const again = await host.request('initialize', { protocolVersion: 1 });
    expect(again.error?.code).to.equal(-32600);
    expect(again.error?.data?.kind).to.equal('InvalidRequest');
  });

  it('answers shutdown with null, then -32012 to every request, then exits 0 on exit', async () => {
    const host = track(await RawHost.start());
    await host.call('session/open', { sessionId: 's1' });
    const shutdown = await host.request('shutdown');
    expect(shutdown).to.deep.include({ id: shutdown.id, result: null });
    for (const method of ['session/open', 'initialize', 'shutdown', 'no/such']) {
      const after = await host.request(method, method === 'initialize' ? { protocolVersion: 1 } : undefined);
      expect(after.error?.code, method).to.equal(-32012);
      expect(after.error?.data?.kind).to.equal('ShuttingDown');
    }
    host.notify('exit');
    expect(await host.exited).to.deep.equal({ code: 0, signal: null });
  });

  it('exits 1 on exit without shutdown', async () => {
    const host = track(await RawHost.start());
    host.notify('exit');
    expect((await host.exited).code).to.equal(1);
  });

  it('exits 1 on exit before initialize', async () => {
    const host = track(new RawHost());
    host.notify('exit');
    expect((await host.exited).code).to.equal(1);
  });

  it('exits 0 on stdin EOF, on SIGTERM and on SIGINT', async () => {
    const eof = track(await RawHost.start());
    expect(await eof.end()).to.deep.equal({ code: 0, signal: null });
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const host = track(await RawHost.start());
      await host.call('session/open', { sessionId: 'busy' });
      host.child.kill(signal);
      expect(await host.exited, signal).to.deep.equal({ code: 0, signal: null });
    }
  });

  it('writes nothing but frames on stdout', async () => {
    const host = track(await RawHost.start(['--log-level', 'debug']));
    await host.call('session/open', {});
    await host.call('shutdown');
    host.notify('exit');
    await host.exited;
    // RawHost throws on any byte that is not a well-formed frame; debug logs went to stderr.
    await host.stderrMatching(/codemode-host debug:/);
  });
});

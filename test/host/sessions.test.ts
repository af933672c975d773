import { expect } from 'chai';
import { SPEC_SESSION_DEFAULTS } from '../support/protocolDefaults.js';
import { RawHost, withHost } from '../support/rawHost.js';


describe('sessions', function () {
  it('opens a client-chosen id with every effective limit filled in', () =>
    withHost(async (host) => {
      const result = await host.call('session/open', { sessionId: 'a.B:c-1_2', limits: { heapLimitMb: 64, wallTimeLimitMs: 5000 } });
      expect(result).to.deep.equal({
        sessionId: 'a.B:c-1_2',
        limits: { ...SPEC_SESSION_DEFAULTS, heapLimitMb: 64, wallTimeLimitMs: 5000 },
        persistent: false,
      });
    }));

  it('assigns session-1, session-2, ... skipping ids already used', () =>
    withHost(async (host) => {
      await host.call('session/open', { sessionId: 'session-2' });
      expect((await host.call('session/open', {})).sessionId).to.equal('session-1');
      expect((await host.call('session/open')).sessionId).to.equal('session-3');
      expect((await host.call('session/open', null)).sessionId).to.equal('session-4');
    }));

  it('refuses an id that is open or was opened before with -32011', () =>
    withHost(async (host) => {
      await host.call('session/open', { sessionId: 's' });
      const open = await host.request('session/open', { sessionId: 's' });
      expect(open.error?.code).to.equal(-32011);
      expect(open.error?.data).to.include({ kind: 'SessionExists', sessionId: 's' });
      await host.call('session/close', { sessionId: 's' });
      const reused = await host.request('session/open', { sessionId: 's' });
      expect(reused.error?.code).to.equal(-32011);
    }));

  it('rejects ids outside the charset or length with -32602', () =>
    withHost(async (host) => {
      for (const sessionId of ['', 'a b', 'ä', 'x'.repeat(129), 'a/b']) {
        const response = await host.request('session/open', { sessionId });
        expect(response.error?.code, JSON.stringify(sessionId)).to.equal(-32602);
        expect(response.error?.data?.errors?.[0]?.path).to.equal('/sessionId');
      }
      expect((await host.call('session/open', { sessionId: 'x'.repeat(128) })).sessionId).to.have.length(128);
    }));

  it('rejects out-of-range limits with -32602 naming the limit', () =>
    withHost(async (host) => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ heapLimitMb: 7 }, '/limits/heapLimitMb'],
        [{ heapLimitMb: 1e9 }, '/limits/heapLimitMb'],
        [{ cpuTimeLimitMs: 0 }, '/limits/cpuTimeLimitMs'],
        [{ maxOutputBytes: -1 }, '/limits/maxOutputBytes'],
        [{ maxPendingToolCalls: 1.5 }, '/limits/maxPendingToolCalls'],
        [{ bogus: 1 }, '/limits/bogus'],
      ];
      for (const [limits, path] of cases) {
        const response = await host.request('session/open', { limits });
        expect(response.error?.code, path).to.equal(-32602);
        expect(response.error?.data?.errors?.[0]?.path).to.equal(path);
      }
    }));

  it('closes a session, answers {sessionId}, and forgets it', () =>
    withHost(async (host) => {
      await host.call('session/open', { sessionId: 's' });
      expect(await host.call('session/close', { sessionId: 's' })).to.deep.equal({ sessionId: 's' });
      for (const [method, params] of [
        ['session/close', { sessionId: 's' }],
        ['cell/execute', { sessionId: 's', source: '1' }],
        ['cell/wait', { sessionId: 's', cellId: '1' }],
        ['cell/terminate', { sessionId: 's', cellId: '1' }],
        ['cell/yield', { sessionId: 's', cellId: '1' }],
      ] as const) {
        const response = await host.request(method, params);
        expect(response.error?.code, method).to.equal(-32010);
        expect(response.error?.data).to.include({ kind: 'SessionNotFound', sessionId: 's' });
      }
    }));

  it('answers -32012 for a session that is closing', () =>
    withHost(async (host) => {
      await host.call('session/open', { sessionId: 's' });
      await host.request('cell/execute', { sessionId: 's', source: 'await new Promise(() => {})', yieldTimeMs: 0 });
      // Both frames in one write: the close is still tearing the cell down when the execute arrives.
      const close = { jsonrpc: '2.0', id: 'close', method: 'session/close', params: { sessionId: 's' } };
      const execute = { jsonrpc: '2.0', id: 'late', method: 'cell/execute', params: { sessionId: 's', source: '1' } };
      const frame = (body: unknown) => {
        const text = JSON.stringify(body);
        return `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
      };
      host.writeRaw(frame(close) + frame(execute));
      const late = (await host.waitFor((m: any) => m.id === 'late', 'late execute')) as any;
      expect(late.error?.code).to.equal(-32012);
      expect(late.error?.data?.kind).to.equal('ShuttingDown');
      const closed = (await host.waitFor((m: any) => m.id === 'close', 'close')) as any;
      expect(closed.result).to.deep.equal({ sessionId: 's' });
    }));

  it('refuses sessions beyond maxSessions with -32030 and keeps serving', () =>
    withHost(
      async (host) => {
        await host.call('session/open', {});
        await host.call('session/open', {});
        const third = await host.request('session/open', {});
        expect(third.error?.code).to.equal(-32030);
        expect(third.error?.data).to.deep.equal({ kind: 'Overloaded', limit: 'maxSessions' });
        await host.call('session/close', { sessionId: 'session-1' });
        expect((await host.call('session/open', {})).sessionId).to.equal('session-4');
      },
      ['--max-sessions', '2'],
    ));

  it('remembers the last 4096 session ids', async function () {
    this.timeout(60_000);
    const host = await RawHost.start();
    try {
      for (let i = 0; i < 4097; i++) {
        await host.call('session/open', { sessionId: `k${i}` });
        await host.call('session/close', { sessionId: `k${i}` });
      }
      expect((await host.request('session/open', { sessionId: 'k1' })).error?.code).to.equal(-32011);
      expect((await host.call('session/open', { sessionId: 'k0' })).sessionId).to.equal('k0');
    } finally {
      host.kill();
      await host.exited;
    }
  });
});

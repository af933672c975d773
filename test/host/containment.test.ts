/**
 * Containment: hostile cells, each in its own session beside a neighbour session's running cell.
 * Each offending cell ends with a clear error within its limits, and containedRun checks the rest:
 * same host process, neighbour completes, committed store intact, the session runs a next cell.
 */
import { expect } from 'chai';
import { NO_ANSWER, withHost, type Message } from '../support/rawHost.js';
import { containedRun, sandboxPids } from '../support/containment.js';
import { execute, openSession, texts } from '../support/cells.js';

const CPU_LIMIT = /^cell exceeded its CPU time limit of 1000 ms$/;

describe('containment: hostile cells beside a neighbour', function () {
  this.timeout(60_000);

  // V8 ends this either with a catastrophic OOM (which kills the sandbox process) or, in some runs,
  // within the heap limit; both must leave everything else intact.
  it('a Map of 10 million entries kills at most its sandbox process: out of memory, named', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, {}, { source: 'const m = new Map(); for (let i = 0; i < 1e7; i++) m.set(i, i)' });
      expect(offender.status).to.equal('completed');
      expect(offender.error).to.match(/^(sandbox process exited: out of memory \(|cell exceeded its heap limit of 128 MB$)/);
      if (offender.error!.startsWith('sandbox')) await host.stderrMatching(/sandbox process \d+ exited: out of memory/);
    }));

  it('new Array(2 ** 31 - 1).fill(0) ends with an error, the host unharmed', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 2000 }, { source: 'new Array(2 ** 31 - 1).fill(0)', yieldTimeMs: 60_000 });
      expect(offender.error).to.match(/^(sandbox process exited: out of memory|RangeError|cell exceeded its (heap|CPU time) limit)/);
    }));

  for (const language of ['javascript', 'typescript'] as const) {
    it(`a ${language} source that closes its function wrapper is a syntax error and never runs`, () =>
      withHost(async (host) => {
        const { offender } = await containedRun(host, {}, { language, source: '}); for (;;) {} (async function () {' });
        expect(offender.status).to.equal('completed');
        expect(offender.error).to.match(/^SyntaxError/);
      }));
  }

  it('a 40 MB TypeScript source is stripped off the host, within the cell\'s CPU limit', () =>
    withHost(async (host) => {
      const source = `const xs: number[] = [];\n${'xs.push(1 as number);\n'.repeat(2_000_000)}text(xs.length)`;
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 1000 }, { language: 'typescript', source, yieldTimeMs: 60_000 });
      expect(offender.error).to.match(/^cell exceeded its CPU time limit of 1000 ms/);
    }));

  it('a 100,000-call tool flood is refused in the isolate past maxPendingToolCalls', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 5000 }, {
        source: 'let refused = 0; for (let i = 0; i < 100000; i++) tools.echo({ i }).catch(() => refused++); await new Promise((r) => setTimeout(r, 0)); text(refused)',
        tools: [{ name: 'echo' }],
      });
      expect(offender.error).to.equal(null);
      expect(Number(texts(offender)[0])).to.be.at.least(100000 - 256);
      const sent = host.received.filter((m) => !Array.isArray(m) && m.method === 'delegate/invokeTool' && (m.params as any).sessionId === 'offender');
      expect(sent.length).to.be.at.most(256);
    }));

  it('for (;;) text("") ends at the CPU limit', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 1000, maxOutputBytes: 65536 }, { source: 'for (;;) text("")' });
      expect(offender.error).to.match(CPU_LIMIT);
      expect(offender.items.length).to.be.at.most(65536 / 32 + 1);
    }));

  it('for (;;) load("k") and store loops end at the CPU limit, host work charged', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 1000 }, { source: 'for (let i = 0; ; i++) { load("k"); store("k" + (i % 10), i) }' });
      expect(offender.error).to.match(CPU_LIMIT);
    }));

  it('a timer loop ends at the CPU limit', () =>
    withHost(async (host) => {
      const { offender } = await containedRun(host, { cpuTimeLimitMs: 1000 }, { source: 'const loop = () => setTimeout(loop, 0); loop(); await new Promise(() => {})', yieldTimeMs: 60_000 });
      expect(offender.error).to.match(CPU_LIMIT);
    }));

  it('1,100 notifications wait for answers past 16 per cell, so they never take the delegate capacity', () =>
    withHost(async (host) => {
      let unanswered = 0;
      let most = 0;
      host.delegate = async (m: Message) => {
        if (m.method !== 'delegate/notify') return { result: null };
        most = Math.max(most, ++unanswered);
        await new Promise((resolve) => setImmediate(resolve));
        unanswered--;
        return null;
      };
      const { offender } = await containedRun(host, {}, { source: 'for (let i = 0; i < 1100; i++) notify("n" + i); text("all sent")' });
      expect(offender.error).to.equal(null);
      expect(texts(offender)).to.deep.equal(['all sent']);
      expect(host.received.filter((m) => !Array.isArray(m) && m.method === 'delegate/notify').length).to.equal(1100);
      expect(most).to.be.at.most(16);
    }));

  it('a cell waiting in notify() for answers is terminated at once', () =>
    withHost(async (host) => {
      await openSession(host, 's');
      host.delegate = () => NO_ANSWER;
      let seen = 0;
      const sixteen = host.waitFor((m) => !Array.isArray(m) && m.method === 'delegate/notify' && ++seen === 16, '16 notifications');
      const running = host.request('cell/execute', { sessionId: 's', source: 'for (let i = 0; i < 20; i++) notify("n" + i); text("done")', yieldTimeMs: 60_000 });
      await sixteen;
      const ended = await host.call('cell/terminate', { sessionId: 's', cellId: '1' });
      expect(ended).to.deep.include({ status: 'terminated', error: null });
      expect(((await running).result as { status: string }).status).to.equal('terminated');
      expect(host.received.filter((m) => !Array.isArray(m) && m.method === 'delegate/notify')).to.have.length(16);
    }));

  it('a cell cannot hold more than three quarters of maxPendingDelegateCalls', () =>
    withHost(
      async (host) => {
        host.delegate = (m: Message) => ((m.params as any).sessionId === 'offender' ? NO_ANSWER : { result: null });
        const { offender } = await containedRun(host, { maxPendingToolCalls: 1000 }, {
          source: 'const r = []; for (let i = 0; i < 20; i++) r.push(tools.hold(i).catch((e) => e.message)); text((await Promise.race(r)))',
          tools: [{ name: 'hold' }],
        });
        expect(texts(offender)[0]).to.match(/its share of the host's maxPendingDelegateCalls \(16\)/);
      },
      ['--max-pending-delegate-calls', '16'],
    ));

  it('maxStoredBytes holds for the whole store when concurrent cells commit', () =>
    withHost(async (host) => {
      await openSession(host, 's', { maxStoredBytes: 100 });
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let calls = 0;
      const bothWaiting = new Promise<void>((resolve) => {
        host.delegate = async () => {
          if (++calls === 2) resolve();
          await gate;
          return { result: null };
        };
      });
      const cell = (key: string) => execute(host, { source: `store("${key}", "x".repeat(60)); await tools.wait()`, tools: [{ name: 'wait' }] });
      const first = cell('a');
      const second = cell('b');
      await bothWaiting;
      release();
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.error === null)).to.have.members([true, false]);
      expect(results.find((r) => r.error !== null)!.error).to.match(/not committed: .* over its maxStoredBytes of 100$/);
      const stored = await execute(host, { source: 'text(JSON.stringify([load("a") !== undefined, load("b") !== undefined]))' });
      expect(JSON.parse(texts(stored)[0]!).filter(Boolean)).to.have.length(1);
    }));

  it('maxHostMemoryBytes bounds the stores of all sessions together, with an error naming it', () =>
    withHost(
      async (host) => {
        await openSession(host, 'a');
        await openSession(host, 'b');
        const fill = (sessionId: string) => execute(host, { sessionId, source: 'try { for (let i = 0; i < 10; i++) store("k" + i, "x".repeat(2 ** 20)) } catch (e) { text(e.message) }' });
        expect(texts(await fill('a'))).to.deep.equal([]);
        const refused = texts(await fill('b'))[0];
        expect(refused).to.match(/^store\("k\d"\) needs \d+ bytes more than the host has left under its maxHostMemoryBytes of 16777216/);
        await host.call('session/close', { sessionId: 'a' });
        expect(texts(await fill('b'))).to.deep.equal([]);
      },
      ['--max-host-memory-bytes', '16777216'],
    ));

  it('a SIGKILL of the sandbox process mid-cell ends only its cells, named', () =>
    withHost(
      async (host) => {
        let killed = false;
        host.delegate = (m: Message) => {
          const params = m.params as { sessionId: string; tool?: { name: string } };
          if (params.sessionId === 'offender' && params.tool?.name === 'hang') {
            // The offender pinned the warm process (the first started, lowest pid).
            const [victim] = sandboxPids(host);
            expect(victim).to.be.a('number');
            process.kill(victim!, 'SIGKILL');
            killed = true;
            return NO_ANSWER;
          }
          return { result: null };
        };
        const { offender } = await containedRun(host, {}, { source: 'await tools.hang(); text("never")', tools: [{ name: 'hang' }] });
        expect(killed).to.equal(true);
        expect(offender).to.deep.include({ status: 'completed', error: 'sandbox process exited: killed by SIGKILL', pendingToolCalls: [] });
        const cancels = host.received.filter((m) => !Array.isArray(m) && m.method === '$/cancelRequest');
        expect(cancels.length).to.equal(1);
        const closed = host.notificationsOf('cell/closed').filter((m) => (m.params as any).sessionId === 'offender' && (m.params as any).cellId === '2');
        expect(closed.length).to.equal(1);
      },
      ['--max-sandbox-processes', '2'],
    ));

  it('sessions sharing one sandbox process both lose the running cell to a crash, and both go on', () =>
    withHost(
      async (host) => {
        await openSession(host, 'a');
        await openSession(host, 'b');
        await execute(host, { sessionId: 'b', source: 'store("kept", 2)' });
        host.delegate = (m: Message) => {
          if ((m.params as { tool?: { name: string } }).tool?.name === 'crash') for (const pid of sandboxPids(host)) process.kill(pid, 'SIGKILL');
          return NO_ANSWER;
        };
        const started = host.waitFor((m) => !Array.isArray(m) && m.method === 'delegate/invokeTool', 'the waiting cell');
        const waiting = execute(host, { sessionId: 'b', source: 'await tools.wait()', tools: [{ name: 'wait' }], yieldTimeMs: 60_000 });
        await started;
        const crash = await execute(host, { sessionId: 'a', source: 'await tools.crash()', tools: [{ name: 'crash' }] });
        expect(crash.error).to.equal('sandbox process exited: killed by SIGKILL');
        expect((await waiting).error).to.equal('sandbox process exited: killed by SIGKILL');
        expect(texts(await execute(host, { sessionId: 'b', source: 'text(load("kept"))' }))).to.deep.equal(['2']);
        expect(texts(await execute(host, { sessionId: 'a', source: 'text("a again")' }))).to.deep.equal(['a again']);
      },
      ['--max-sandbox-processes', '1'],
    ));
});

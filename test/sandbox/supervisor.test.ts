/**
 * The supervisor over real sandbox processes: the same cells as the engine tests, plus pinning,
 * idle exit, crash semantics and the bridge's small leaks.
 */
import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import { Supervisor, type SupervisorOptions } from '../../server/sandbox/supervisor.js';
import type { ToolOutcome } from '../../server/sandbox/api.js';
import { heldEvents, program, recordingEvents, runCell, texts, type ToolHandler } from './harness.js';

const supervisor = (options: Partial<SupervisorOptions> = {}) =>
  new Supervisor({ logger: silentLogger, logLevel: 'error', maxProcesses: 2, idleExitMs: 60_000, whenOutputDrains: () => Promise.resolve(), ...options });

describe('sandbox: supervisor and sandbox processes', function () {
  this.timeout(60_000);

  it('runs cells with output, tool calls, store and load across the process boundary', async () => {
    const sandbox = supervisor();
    try {
      const { exit, rec } = await runCell(sandbox, 'text(load("seed")); store("k", { a: 1 }); text(JSON.stringify(await tools.echo({ x: 2 })))', { seed: { seed: '"s"' } });
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      expect(texts(rec)).to.deep.equal(['s', '{"tool":"echo","input":{"x":2}}']);
      expect(rec.store.get('k')).to.equal('{"a":1}');
    } finally {
      sandbox.dispose();
    }
  });

  it('pins sessions to their own process up to maxProcesses, then shares the least loaded', async () => {
    const sandbox = supervisor({ maxProcesses: 2 });
    try {
      for (const sessionId of ['a', 'b', 'c']) await runCell(sandbox, 'text(1)', { sessionId });
      expect(sandbox.pids).to.have.length(2);
      await runCell(sandbox, 'text(1)', { sessionId: 'a' });
      expect(sandbox.pids).to.have.length(2);
    } finally {
      sandbox.dispose();
    }
  });

  it('retires idle processes but keeps one warm', async () => {
    const sandbox = supervisor({ maxProcesses: 3, idleExitMs: 0 });
    try {
      const { events: held, open } = heldEvents();
      const running = await Promise.all(['a', 'b', 'c'].map((sessionId) => sandbox.start(program('await tools.echo()', { sessionId }), held)));
      expect(sandbox.pids).to.have.length(3);
      open();
      await Promise.all(running.map((run) => run.done));
      while (sandbox.pids.length > 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sandbox.pids).to.have.length(1);
      expect((await runCell(sandbox, 'text("warm")', { sessionId: 'd' })).exit).to.deep.equal({ kind: 'completed', error: null });
    } finally {
      sandbox.dispose();
    }
  });

  it('runs a persistent realm in the process of its session and never retires that process for being idle', async () => {
    const sandbox = supervisor({ maxProcesses: 3, idleExitMs: 0 });
    const realm = sandbox.openRealm(128);
    try {
      const inRealm = async (source: string) => {
        const { events, rec } = recordingEvents();
        const run = await realm.start(program(source, { sessionId: 'p' }), events);
        return { exit: await run.done, out: texts(rec) };
      };
      const { events: held, open } = heldEvents();
      // Three processes; the realm's goes idle first, while the other two still run a cell.
      const running = await Promise.all(['a', 'b'].map((sessionId) => sandbox.start(program('await tools.echo()', { sessionId }), held)));
      expect(await inRealm('const kept = 41')).to.deep.equal({ exit: { kind: 'completed', error: null }, out: [] });
      expect(sandbox.pids).to.have.length(3);
      const realmPid = sandbox.pids[2];
      open();
      await Promise.all(running.map((run) => run.done));
      while (sandbox.pids.length > 1) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sandbox.pids).to.deep.equal([realmPid]);
      expect(await inRealm('kept + 1')).to.deep.equal({ exit: { kind: 'completed', error: null }, out: ['42'] });
    } finally {
      realm.dispose();
      sandbox.dispose();
    }
  });

  it('ends the cells of a killed process as lost with the cause, and serves the next cell', async () => {
    const sandbox = supervisor({ maxProcesses: 1 });
    try {
      await runCell(sandbox, 'text(1)');
      const { events } = recordingEvents();
      const run = await sandbox.start(program('await new Promise(() => {})'), events);
      for (const pid of sandbox.pids) process.kill(pid, 'SIGKILL');
      expect(await run.done).to.deep.equal({ kind: 'lost', error: 'sandbox process exited: killed by SIGKILL' });
      expect((await runCell(sandbox, 'text("again")')).exit).to.deep.equal({ kind: 'completed', error: null });
    } finally {
      sandbox.dispose();
    }
  });

  it('keeps a burst of tool calls in order around output, and answers settled together in their order, failures included', async () => {
    const sandbox = supervisor();
    try {
      // The seven calls are answered in one later turn, in reverse order, the odd ones failing.
      const waiting: Array<() => void> = [];
      const tool: ToolHandler = (_jsName, inputJson) =>
        new Promise<ToolOutcome>((resolve) => {
          const i = Number(inputJson);
          waiting.push(() => resolve(i % 2 === 1 ? { ok: false, message: `no ${i}` } : { ok: true, result: i }));
          if (waiting.length === 7) setImmediate(() => waiting.reverse().forEach((answer) => answer()));
        });
      const { exit, rec } = await runCell(
        sandbox,
        `const seen = [];
         const note = (p) => p.then((v) => seen.push('ok' + v), (e) => seen.push(e.message));
         text('before');
         const first = [0, 1, 2, 3, 4, 5].map((i) => note(tools.echo(i)));
         text('between');
         await Promise.all([...first, note(tools.echo(6))]);
         text(seen.join(' '));`,
        { tool },
      );
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      expect(rec.log.slice(0, 9)).to.deep.equal(['output', ...[0, 1, 2, 3, 4, 5].map((i) => `tool:echo:${i}`), 'output', 'tool:echo:6']);
      expect(texts(rec)).to.deep.equal(['before', 'between', 'ok6 no 5 ok4 no 3 ok2 no 1 ok0']);
    } finally {
      sandbox.dispose();
    }
  });

  it('keeps a tool named __proto__ an own property, not the prototype of tools', async () => {
    const sandbox = supervisor();
    try {
      const { exit, rec } = await runCell(sandbox, 'text(Object.getPrototypeOf(tools) === Object.prototype); text(typeof Object.getOwnPropertyDescriptor(tools, "__proto__").value)', {
        tools: [{ jsName: '__proto__', description: '' }],
      });
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      expect(texts(rec)).to.deep.equal(['true', 'function']);
    } finally {
      sandbox.dispose();
    }
  });

  it('shows no helper source in toString() and no helper frames in the stacks of helper errors', async () => {
    const sandbox = supervisor();
    try {
      const { exit, rec } = await runCell(sandbox, 'text(text.toString()); text(tools.echo.toString()); text(console.log.name); try { image(1) } catch (e) { text(e.stack) }');
      expect(exit).to.deep.equal({ kind: 'completed', error: null });
      const [textSource, toolSource, logName, stack] = texts(rec);
      expect(textSource).to.equal('function () { [native code] }');
      expect(toolSource).to.equal('function () { [native code] }');
      expect(logName).to.equal('log');
      expect(stack).to.match(/^Error: image expects/);
      expect(stack).not.to.contain('codemode:bootstrap');
      expect(stack).to.contain('cell-1.js:1:');
    } finally {
      sandbox.dispose();
    }
  });
});

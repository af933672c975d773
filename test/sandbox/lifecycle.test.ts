import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { Sandbox } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { program, recordingEvents, runCell, sleep, texts } from './harness.js';

const success = { kind: 'completed', error: null };

describe('sandbox: exit, timers, termination', () => {
  let sandbox: Sandbox;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());

  describe('exit', () => {
    it('ends the cell successfully at top level, keeping earlier output', async () => {
      const { exit, rec } = await runCell(sandbox, `text('a'); exit(); text('b');`);
      expect(exit).to.deep.equal(success);
      expect(texts(rec)).to.deep.equal(['a']);
    });
    it('works after awaits', async () => {
      const { exit, rec } = await runCell(sandbox, `await tools.echo(1); text('a'); await null; exit(); text('b');`);
      expect(exit).to.deep.equal(success);
      expect(texts(rec)).to.deep.equal(['a']);
    });
    it('works inside a timer callback', async () => {
      const { exit, rec } = await runCell(sandbox, `setTimeout(() => { text('t'); exit(); text('no'); }, 5); text('main'); await new Promise(() => {});`);
      expect(exit).to.deep.equal(success);
      expect(texts(rec)).to.deep.equal(['main', 't']);
    });
    it('works inside a detached async function', async () => {
      const { exit } = await runCell(sandbox, `(async () => { await null; exit(); })(); await new Promise(() => {});`);
      expect(exit).to.deep.equal(success);
    });
    it('is not imitated by throwing a look-alike', async () => {
      const { exit } = await runCell(sandbox, `throw new Error('exit() called')`);
      expect(exit).to.deep.equal({ kind: 'completed', error: 'Error: exit() called\n    at cell-1.js:1:7' });
    });
  });

  describe('timers', () => {
    it('fire in delay order and clearTimeout cancels', async () => {
      const { exit, rec } = await runCell(
        sandbox,
        `setTimeout(() => text('c'), 30); setTimeout(() => text('a'), 10); const x = setTimeout(() => text('x'), 15);
         setTimeout(() => text('b'), 20); setTimeout(() => text('a2'), 10); setTimeout(() => text('zero'));
         clearTimeout(x); clearTimeout(undefined); clearTimeout(12345);
         await new Promise((resolve) => setTimeout(resolve, 50));`,
      );
      expect(exit).to.deep.equal(success);
      expect(texts(rec)).to.deep.equal(['zero', 'a', 'a2', 'b', 'c']);
    });
    it('do not keep the cell alive and are cancelled when it ends', async () => {
      const { events, rec } = recordingEvents();
      const run = await sandbox.start(program(`setTimeout(() => text('late'), 30); text('end');`), events);
      expect(await run.done).to.deep.equal(success);
      await sleep(60);
      expect(texts(rec)).to.deep.equal(['end']);
    });
    it('fail the cell when a callback throws', async () => {
      const { exit } = await runCell(sandbox, `setTimeout(() => {\n  throw new TypeError('in timer');\n}, 1);\nawait new Promise(() => {});`);
      expect(exit).to.deep.equal({ kind: 'completed', error: 'TypeError: in timer\n    at cell-1.js:2:9' });
    });
    it('reject a non-function callback', async () => {
      const { exit } = await runCell(sandbox, `setTimeout('text(1)', 1)`);
      expect(exit.kind === 'completed' && exit.error).to.match(/^Error: setTimeout expects a function callback/);
    });
    it('are capped at 1024 pending per cell, and fired timers free their places', async () => {
      const { exit, rec } = await runCell(
        sandbox,
        `for (let i = 0; i < 1023; i++) setTimeout(() => {}, 0);
         await new Promise((resolve) => setTimeout(resolve, 20));
         for (let i = 0; i < 1024; i++) setTimeout(() => {}, 60_000);
         try { setTimeout(() => {}, 1) } catch (e) { text(e.message) }
         for (let i = 0; i < 5000; i++) setTimeout(() => {}, 1);`,
      );
      expect(texts(rec)).to.deep.equal(['setTimeout: a cell may have at most 1024 pending timers']);
      expect(exit.kind === 'completed' && exit.error).to.match(/^Error: setTimeout: a cell may have at most 1024 pending timers/);
    });
  });

  describe('terminate', () => {
    it('stops a CPU loop after an await within a second', async () => {
      const { events } = recordingEvents();
      const run = await sandbox.start(program(`await tools.echo(1); while (true) {}`), events);
      await sleep(50);
      const started = Date.now();
      run.terminate();
      run.terminate();
      expect(await run.done).to.deep.equal({ kind: 'terminated' });
      expect(Date.now() - started).to.be.below(1000);
    });
    it('leaves an earlier completion standing', async () => {
      const { events } = recordingEvents();
      const run = await sandbox.start(program(`text(1)`), events);
      const exit = await run.done;
      run.terminate();
      expect(exit).to.deep.equal(success);
      expect(await run.done).to.deep.equal(success);
    });
    it('ignores a tool result that arrives after the isolate is gone', async () => {
      let answer!: () => void;
      const answered = new Promise<void>((resolve) => (answer = resolve));
      const { events } = recordingEvents(async () => {
        await answered;
        return { ok: true, result: 1 };
      });
      const run = await sandbox.start(program(`const r = await tools.echo(); text(r); await new Promise(() => {});`), events);
      await sleep(20);
      run.terminate();
      expect(await run.done).to.deep.equal({ kind: 'terminated' });
      answer();
      await sleep(20);
    });
  });
});

import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { CellExit, Realm, Sandbox } from '../../server/sandbox/api.js';
import { transformPersistentCell } from '../../server/sandbox/realm/transform.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { program, recordingEvents, texts, type ProgramOptions, type Recording } from './harness.js';

describe('sandbox: persistent realm', () => {
  let sandbox: Sandbox;
  let realm: Realm;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());
  beforeEach(() => (realm = sandbox.openRealm(128)));
  afterEach(() => realm.dispose());

  async function cell(source: string, options: ProgramOptions = {}): Promise<{ exit: CellExit; rec: Recording; out: string[] }> {
    const { events, rec } = recordingEvents();
    const run = await realm.start(program(source, options), events);
    const exit = await run.done;
    return { exit, rec, out: texts(rec) };
  }

  it('keeps every kind of top-level declaration for later cells', async () => {
    const first = await cell(
      `const a = 1; let b = 2; var c = 3; function d() { return 4 } class E { f() { return 5 } }
       const { g, h: [i] } = { g: 6, h: [7] }; let j;`,
    );
    expect(first.exit).to.deep.equal({ kind: 'completed', error: null });
    const second = await cell(`text([a, b, c, d(), new E().f(), g, i, j === undefined])`);
    expect(second.out).to.deep.equal(['[1,2,3,4,5,6,7,true]']);
  });

  it('lets a later cell declare a name again, replacing it', async () => {
    await cell(`const x = 1; function f() { return 'old' }`);
    await cell(`let x = x + 1; function f() { return 'new' }`);
    expect((await cell(`text(x); text(f())`)).out).to.deep.equal(['2', 'new']);
    expect((await cell(`x = 5; x`)).out).to.deep.equal(['5']);
  });

  it('keeps const read-only until it is declared again', async () => {
    await cell(`const k = 1`);
    const { exit } = await cell(`k = 2`);
    expect(exit).to.have.property('error').that.matches(/^TypeError: Cannot assign to read only property 'k'/);
  });

  it('shows the last expression, awaited, rendered as text() renders it', async () => {
    expect((await cell(`1 + 1`)).out).to.deep.equal(['2']);
    expect((await cell(`({ a: [1] });`)).out).to.deep.equal(['{"a":[1]}']);
    expect((await cell(`Promise.resolve('done')`)).out).to.deep.equal(['done']);
    expect((await cell(`const z = 1`)).out).to.deep.equal([]);
    expect((await cell(`undefined`)).out).to.deep.equal([]);
    expect((await cell(`text('a');\n'b' // trailing comment`)).out).to.deep.equal(['a', 'b']);
  });

  it('keeps closures and classes working across cells, and a promise for a later cell', async () => {
    await cell(`let count = 0; const inc = () => ++count; class P { static make() { return new P() } }`);
    await cell(`inc(); inc();`);
    expect((await cell(`[count, P.make() instanceof P]`)).out).to.deep.equal(['[2,true]']);
    await cell(`let release; const later = new Promise((resolve) => { release = resolve; });`);
    expect((await cell(`release(42); await later`)).out).to.deep.equal(['42']);
  });

  it('lets a name change kind, keeps a var without initializer, and strips TypeScript first', async () => {
    await cell(`let v = 1; var w = 'kept'`);
    await cell(`function v() { return 'now a function' } var w;`);
    expect((await cell(`[v(), w]`)).out).to.deep.equal(['["now a function","kept"]']);
    await cell(`const typed: number = 21; interface Unused { a: string }`, { language: 'typescript' });
    expect((await cell(`typed * 2 as number`, { language: 'typescript' })).out).to.deep.equal(['42']);
  });

  it('hoists functions within the cell that declares them', async () => {
    expect((await cell(`f(); function f() { return 'hoisted' }\nf()`)).out).to.deep.equal(['hoisted']);
  });

  it('reports syntax errors without losing the realm, with the user line', async () => {
    await cell(`const kept = 'yes'`);
    const { exit } = await cell(`let = ;`);
    expect(exit).to.have.property('error').that.matches(/^SyntaxError: .*\[cell-1\.js:1:/);
    expect((await cell(`kept`)).out).to.deep.equal(['yes']);
    const thrown = await cell(`\n\nthrow new Error('boom')`);
    expect(thrown.exit).to.have.property('error').that.matches(/Error: boom\n\s+at cell-1\.js:3:7/);
  });

  it('never lets a source close the wrapper', async () => {
    for (const source of [`}); globalThis.escaped = 1; (async function () {`, `})\n//`]) {
      const { exit } = await cell(source);
      expect(exit).to.have.property('error').that.matches(/SyntaxError/);
    }
    // An HTML-like comment at the start of a line is a comment in the wrapper too.
    expect((await cell(`--> }); globalThis.escaped = 1; (function(){`)).exit).to.deep.equal({ kind: 'completed', error: null });
    expect((await cell(`typeof escaped`)).out).to.deep.equal(['undefined']);
    expect(transformPersistentCell(`}); x(); ({`)).to.have.property('ok', false);
    expect((await cell(`import fs from 'node:fs'`)).exit).to.deep.equal({ kind: 'completed', error: 'Unsupported import in cell: node:fs' });
  });

  it('does not let a built-in be declared again', async () => {
    const { exit } = await cell(`const text = 1`);
    expect(exit).to.have.property('error').that.matches(/Cannot declare text: it is a read-only global of the sandbox/);
    expect((await cell(`'still'`)).out).to.deep.equal(['still']);
  });

  it('ends a cell timer and unanswered tool call with the cell', async () => {
    const { events, rec } = recordingEvents(() => new Promise((resolve) => setImmediate(() => resolve({ ok: true, result: 'late' }))));
    const run = await realm.start(program(`tools.echo(1).then((v) => text('then ' + v)); setTimeout(() => text('timer'), 0); 'first'`), events);
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['first']);
    const next = await cell(`await new Promise((resolve) => setTimeout(resolve, 20)); 'second'`);
    expect(next.out).to.deep.equal(['second']);
  });

  it('discards the realm on a CPU limit, and the next cell starts fresh', async () => {
    await cell(`const lost = 1`);
    const { exit } = await cell(`while (true) {}`, { limits: { cpuTimeLimitMs: 50 } });
    expect(exit).to.deep.equal({ kind: 'completed', error: 'cell exceeded its CPU time limit of 50 ms', reset: 'cpuTimeLimit' });
    expect((await cell(`typeof lost`)).out).to.deep.equal(['undefined']);
  });

  it('discards the realm on terminate', async () => {
    await cell(`const lost = 1`);
    const { events } = recordingEvents();
    const run = await realm.start(program(`await new Promise(() => {})`), events);
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated', reset: 'terminated' });
    expect((await cell(`typeof lost`)).out).to.deep.equal(['undefined']);
  });

  it('keeps the realm after exit()', async () => {
    await cell(`const kept = 1`);
    expect((await cell(`exit(); 'never'`)).exit).to.deep.equal({ kind: 'completed', error: null });
    expect((await cell(`kept`)).out).to.deep.equal(['1']);
  });
});

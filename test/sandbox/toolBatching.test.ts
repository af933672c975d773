import { expect } from 'chai';
import type { Logger } from '../../server/log.js';
import type { CellEvents, Sandbox, ToolOutcome } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { program, recordingEvents, texts } from './harness.js';

/**
 * Tool calls cross between the isolate and the sandbox process in batches (toolCrossing.ts and the
 * bootstrap's tool call batching): these tests check what a cell and the host see of it, with real
 * isolates, and that a cell tampering with the intrinsics it can reach changes nothing.
 */

interface Held {
  jsName: string;
  input: unknown;
  answer(outcome: ToolOutcome): void;
}

/**
 * Events whose tool calls wait for the test to answer them. `batches` groups the calls by the
 * synchronous delivery they arrived in (the sandbox dispatches a batch in one loop, so a microtask
 * queued at its first call runs after its last).
 */
function heldTools() {
  const held: Held[] = [];
  const batches: string[][] = [];
  let current: string[] | null = null;
  let waiter: { count: number; resolve: () => void } | null = null;
  const { events: base, rec } = recordingEvents();
  const events: CellEvents = {
    ...base,
    toolCall(jsName, inputJson, answer) {
      const input: unknown = inputJson === undefined ? undefined : JSON.parse(inputJson);
      if (current === null) {
        const batch: string[] = (current = []);
        queueMicrotask(() => {
          batches.push(batch);
          current = null;
        });
      }
      current.push(`${jsName}:${JSON.stringify(input)}`);
      held.push({ jsName, input, answer });
      if (waiter !== null && held.length >= waiter.count) waiter.resolve();
    },
  };
  /** Resolves once `count` calls have arrived in all. */
  const arrived = (count: number) =>
    new Promise<void>((resolve) => {
      if (held.length >= count) resolve();
      else waiter = { count, resolve };
    });
  return { events, rec, held, batches, arrived };
}

function recordingLogger(): Logger & { errors: string[] } {
  const errors: string[] = [];
  return { errors, error: (message) => errors.push(message), warn() {}, info() {}, debug() {} };
}

const tools = [
  { jsName: 'echo', description: 'echo' },
  { jsName: 'fail', description: 'fails' },
];

describe('sandbox: batched tool calls', () => {
  let sandbox: Sandbox;
  let logger: ReturnType<typeof recordingLogger>;
  before(() => {
    logger = recordingLogger();
    sandbox = createSandbox({ logger });
  });
  after(() => sandbox.dispose());
  afterEach(() => expect(logger.errors).to.deep.equal([]));

  it('hands the calls of one synchronous stretch over together and settles each by its own answer, in the order answered', async () => {
    const t = heldTools();
    const run = await sandbox.start(
      program(
        `const order = [];
         const calls = [1, 2, 3, 4].map((i) => tools.echo(i).then((v) => order.push('ok:' + JSON.stringify(v)), (e) => order.push('error:' + e.message)));
         await Promise.all(calls);
         const again = await tools.echo('next');
         text({ order, again });`,
        { tools },
      ),
      t.events,
    );
    await t.arrived(4);
    expect(t.batches).to.deep.equal([['echo:1', 'echo:2', 'echo:3', 'echo:4']]);
    // Answered in one turn, out of call order: each call still gets its own answer.
    t.held[2]!.answer({ ok: true, result: { n: 3 } });
    t.held[0]!.answer({ ok: false, message: 'first failed' });
    t.held[3]!.answer({ ok: true, result: 'four' });
    t.held[1]!.answer({ ok: true, result: [2] });
    await t.arrived(5);
    expect(t.batches).to.deep.equal([['echo:1', 'echo:2', 'echo:3', 'echo:4'], ['echo:"next"']]);
    t.held[4]!.answer({ ok: true, result: 'x'.repeat(5000) });
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    expect(JSON.parse(texts(t.rec)[0]!)).to.deep.equal({
      order: ['ok:{"n":3}', 'error:first failed', 'ok:"four"', 'ok:[2]'],
      again: 'x'.repeat(5000),
    });
  });

  it('refuses calls over maxPendingToolCalls in the isolate, and sends only the others', async () => {
    const t = heldTools();
    const run = await sandbox.start(
      program(
        `const log = [];
         const settle = (tag, p) => p.then((v) => log.push(tag + ' ok ' + JSON.stringify(v)), (e) => log.push(tag + ' error ' + e.message));
         const first = [settle('a', tools.echo('a')), settle('b', tools.fail('b')), settle('c', tools.echo('c')), settle('d', tools.echo('d')), settle('e', tools.fail('e'))];
         await Promise.all(first);
         await settle('f', tools.echo('f'));
         text(log);`,
        { tools, limits: { maxPendingToolCalls: 3 } },
      ),
      t.events,
    );
    await t.arrived(3);
    for (const call of t.held) call.answer(call.jsName === 'fail' ? { ok: false, message: `no ${String(call.input)}` } : { ok: true, result: call.input });
    await t.arrived(4);
    t.held[3]!.answer({ ok: true, result: 'F' });
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    const refused = 'error cell exceeded its limit of 3 pending tool calls (maxPendingToolCalls); await some before calling more';
    expect(JSON.parse(texts(t.rec)[0]!)).to.deep.equal([`d ${refused}`, `e ${refused}`, 'a ok "a"', 'b error no b', 'c ok "c"', 'f ok "F"']);
    expect(t.batches).to.deep.equal([['echo:"a"', 'fail:"b"', 'echo:"c"'], ['echo:"f"']]);
  });

  it('keeps output and calls in the order the cell made them', async () => {
    const { events, rec } = recordingEvents();
    const run = await sandbox.start(
      program(`const p = tools.echo(1); text('after 1'); const q = tools.echo(2); tools.echo(3); await Promise.all([p, q]); text('done');`, { tools }),
      events,
    );
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    expect(rec.log).to.deep.equal(['tool:echo:1', 'output', 'tool:echo:2', 'tool:echo:3', 'output']);
  });

  it('drops calls still queued in the isolate when the cell is terminated', async () => {
    const t = heldTools();
    let spinning!: () => void;
    const spun = new Promise<void>((resolve) => (spinning = resolve));
    const run = await sandbox.start(program(`text('spin'); tools.echo(1); tools.echo(2); for (;;) {}`, { tools }), {
      ...t.events,
      output() {
        spinning();
      },
    });
    await spun;
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated' });
    expect(t.batches).to.deep.equal([]);
    expect(t.held).to.deep.equal([]);
  });

  it('sends the calls of a long synchronous stretch in batches of 256 while it goes on', async () => {
    const t = heldTools();
    // The stretch never ends: only the batches it filled can have left.
    const run = await sandbox.start(program(`for (let i = 0; i < 600; i++) tools.echo(i); for (;;) {}`, { tools }), t.events);
    await t.arrived(512);
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated' });
    expect(t.held.map((call) => call.input)).to.deep.equal(Array.from({ length: 512 }, (_, i) => i));
  });

  it('sends queued calls once their inputs reach 64 KiB, while the stretch goes on', async () => {
    const t = heldTools();
    const run = await sandbox.start(program(`const big = 'x'.repeat(40000); for (let i = 0; i < 3; i++) tools.echo(big + i); for (;;) {}`, { tools }), t.events);
    await t.arrived(2);
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated' });
    expect(t.held.map((call) => call.input)).to.deep.equal(['x'.repeat(40000) + 0, 'x'.repeat(40000) + 1]);
  });

  it('drops answers in flight when the cell is terminated, and the next cell runs', async () => {
    const t = heldTools();
    const run = await sandbox.start(program(`await Promise.all(Array.from({ length: 50 }, (_, i) => tools.echo(i)))`, { tools }), t.events);
    await t.arrived(50);
    // Half answered in the same turn as the terminate: their delivery is due after it.
    for (const call of t.held.slice(0, 25)) call.answer({ ok: true, result: call.input });
    run.terminate();
    expect(await run.done).to.deep.equal({ kind: 'terminated' });
    for (const call of t.held.slice(25)) call.answer({ ok: true, result: call.input });
    const { events, rec } = recordingEvents();
    const next = await sandbox.start(program(`text(await tools.echo('next'))`, { tools }), events);
    expect(await next.done).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['{"tool":"echo","input":"next"}']);
  });

  it('lets a rejected call be handled after an answer delivered later', async () => {
    const t = heldTools();
    const run = await sandbox.start(
      program(`const b = tools.fail('b'); const a = await tools.echo('a'); try { await b } catch (e) { text([a, e.message]) }`, { tools }),
      t.events,
    );
    await t.arrived(2);
    t.held[0]!.answer({ ok: false, message: 'no b' });
    // A later turn: the rejection is delivered alone, with no handler yet.
    await new Promise<void>((resolve) => setImmediate(resolve));
    t.held[1]!.answer({ ok: true, result: 'A' });
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    expect(JSON.parse(texts(t.rec)[0]!)).to.deep.equal(['A', 'no b']);
  });

  it('gives the error of a failed call the frames of the cell code awaiting it', async () => {
    const { events, rec } = recordingEvents(async () => ({ ok: false, message: 'no luck' }));
    const run = await sandbox.start(program(`async function f() {\n  return await tools.fail();\n}\ntry { await f() } catch (e) { text(e.stack) }`, { tools }), events);
    expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['Error: no luck\n    at async f (cell-1.js:2:10)\n    at async cell-1.js:4:7']);
  });

  describe('a hostile cell', () => {
    it('cannot tamper with batching or answers through the intrinsics it can replace', async () => {
      const t = heldTools();
      // Every hook the cell plants records when it runs while armed. They are armed while the calls
      // are made, while the batch leaves at the job's end and while the answers are settled; the
      // species hook only until the batch left (with it, the cell's own awaits would use it).
      const run = await sandbox.start(
        program(
          // (The first await returns the cell's promise to the bootstrap, which attaches to it with a
          // then() that a species planted before it would break: the cell's own failure.)
          `await undefined;
           let seen = '', armed = false;
           const record = (what) => { if (armed) seen += what + ';'; };
           const saved = { then: Promise.prototype.then, parse: JSON.parse, stringify: JSON.stringify, push: Array.prototype.push,
             iterator: Array.prototype[Symbol.iterator], get: Map.prototype.get, set: Map.prototype.set, del: Map.prototype.delete,
             apply: Function.prototype.apply, call: Function.prototype.call, bind: Function.prototype.bind, reflectApply: Reflect.apply,
             defineProperty: Object.defineProperty, split: String.prototype.split, indexOf: String.prototype.indexOf, slice: String.prototype.slice };
           const INDEXES = ['0', '1', '2', '3'];
           const OPTIONS = ['resolve', 'reject', 'copy', 'arguments', 'result', 'promise', 'reference', 'externalCopy', 'transferIn'];
           const hook = (name) => ({ configurable: true, get() { record('get ' + name); return 'planted'; }, set(v) { record('set ' + name); } });
           for (let i = 0; i < INDEXES.length; i++) Object.defineProperty(Array.prototype, INDEXES[i], hook('Array.prototype.' + INDEXES[i]));
           for (let i = 0; i < OPTIONS.length; i++) Object.defineProperty(Object.prototype, OPTIONS[i], hook('Object.prototype.' + OPTIONS[i]));
           Array.prototype.push = function () { record('push'); return 0; };
           Array.prototype[Symbol.iterator] = function () { record('iterator'); return saved.iterator.call([]); };
           Promise.prototype.then = function () { record('then'); };
           Promise.prototype.constructor = { [Symbol.species]: function () { record('species'); throw new Error('species'); } };
           JSON.parse = () => { record('parse'); return 'planted'; };
           JSON.stringify = () => { record('stringify'); return '"planted"'; };
           Map.prototype.get = function () { record('Map.get'); };
           Map.prototype.set = function () { record('Map.set'); return this; };
           Map.prototype.delete = function () { record('Map.delete'); return true; };
           Function.prototype.apply = function () { record('apply'); };
           Function.prototype.call = function () { record('call'); };
           Function.prototype.bind = function () { record('bind'); };
           Reflect.apply = () => record('Reflect.apply');
           Object.defineProperty = () => record('defineProperty');
           String.prototype.split = () => record('split');
           String.prototype.indexOf = () => record('indexOf');
           String.prototype.slice = () => record('slice');
           Error.prepareStackTrace = () => { record('prepareStackTrace'); return 'planted stack'; };
           armed = true;
           const a = tools.echo({ a: 1 }), b = tools.fail('b'), c = tools.echo('c');
           await undefined;
           // The batch has left: the cell's own awaits need the species back.
           Promise.prototype.constructor = Promise;
           let failure;
           const ra = await a;
           try { await b } catch (error) { failure = error.message + ' / ' + error.stack; }
           const rc = await c;
           armed = false;
           for (let i = 0; i < INDEXES.length; i++) delete Array.prototype[INDEXES[i]];
           for (let i = 0; i < OPTIONS.length; i++) delete Object.prototype[OPTIONS[i]];
           Array.prototype.push = saved.push; Array.prototype[Symbol.iterator] = saved.iterator; Promise.prototype.then = saved.then;
           JSON.parse = saved.parse; JSON.stringify = saved.stringify;
           Map.prototype.get = saved.get; Map.prototype.set = saved.set; Map.prototype.delete = saved.del;
           Function.prototype.apply = saved.apply; Function.prototype.call = saved.call; Function.prototype.bind = saved.bind;
           Reflect.apply = saved.reflectApply; Object.defineProperty = saved.defineProperty;
           String.prototype.split = saved.split; String.prototype.indexOf = saved.indexOf; String.prototype.slice = saved.slice;
           delete Error.prepareStackTrace;
           text({ seen, ra, failure, rc: rc.length });`,
          { tools },
        ),
        t.events,
      );
      await t.arrived(3);
      expect(t.batches).to.deep.equal([['echo:{"a":1}', 'fail:"b"', 'echo:"c"']]);
      t.held[1]!.answer({ ok: false, message: 'no b' });
      t.held[0]!.answer({ ok: true, result: { a: 1, nested: [1, { deep: true }] } });
      t.held[2]!.answer({ ok: true, result: 'c'.repeat(2000) });
      expect(await run.done).to.deep.equal({ kind: 'completed', error: null });
      // The one hook that ran is the cell's own stack formatting of the error it received.
      expect(JSON.parse(texts(t.rec)[0]!)).to.deep.equal({
        seen: 'prepareStackTrace;',
        ra: { a: 1, nested: [1, { deep: true }] },
        failure: 'no b / planted stack',
        rc: 2000,
      });
    });
  });
});

import { expect } from 'chai';
import { withHost } from '../support/rawHost.js';
import { execute, openSession, texts } from '../support/cells.js';
import { cellIn, openPersistent, resetsOf } from '../support/persistent.js';

describe('persistent sessions: variables across cells', function () {
  it('echoes persistent on session/open, false by default', () =>
    withHost(async (host) => {
      expect(await host.call('session/open', { sessionId: 'a' })).to.include({ sessionId: 'a', persistent: false });
      expect(await host.call('session/open', { sessionId: 'b', persistent: true })).to.include({ sessionId: 'b', persistent: true });
    }));

  it('keeps declarations of every kind; a later cell declares a name again', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      const first = await cellIn(
        host,
        p,
        `const a = 1; let b = 2; var c = 3; function d() { return 4 } class E { get f() { return 5 } }
         const { g, h: [i] } = { g: 6, h: [7] }; globalThis.assigned = 8;`,
      );
      // An assignment is an expression: its value is the cell's result.
      expect(first).to.deep.include({ status: 'completed', error: null, items: [{ type: 'text', text: '8' }] });
      expect(texts(await cellIn(host, p, `[a, b, c, d(), new E().f, g, i, assigned]`))).to.deep.equal(['[1,2,3,4,5,6,7,8]']);
      expect(texts(await cellIn(host, p, `const a = 'again'; let b = b * 10; a + b`))).to.deep.equal(['again20']);
      expect(texts(await cellIn(host, p, `class E { get f() { return 'replaced' } } new E().f`))).to.deep.equal(['replaced']);
    }));

  it('keeps closures and classes working, and a promise from one cell is awaited in the next', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      await cellIn(host, p, `let n = 0; const counter = () => ++n; class Box { constructor(v) { this.v = v } twice() { return this.v * 2 } }`);
      await cellIn(host, p, `counter(); counter();`);
      expect(texts(await cellIn(host, p, `[n, new Box(21).twice()]`))).to.deep.equal(['[2,42]']);
      await cellIn(host, p, `let settle; const pending = new Promise((resolve) => (settle = resolve));`);
      expect(texts(await cellIn(host, p, `settle('resolved later'); await pending`))).to.deep.equal(['resolved later']);
    }));

  it('shows the last expression as one text item: 1 + 1 is 2, promises resolved', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      expect(texts(await cellIn(host, p, `1 + 1`))).to.deep.equal(['2']);
      expect(texts(await cellIn(host, p, `text('first'); Promise.resolve({ ok: true })`))).to.deep.equal(['first', '{"ok":true}']);
      expect(texts(await cellIn(host, p, `void 0`))).to.deep.equal([]);
    }));

  it('keeps a tool result for the next cell (the issue\'s example)', () =>
    withHost(async (host) => {
      host.delegate = async () => ({ result: ['a', 'b', 'c'] });
      const p = await openPersistent(host);
      await cellIn(host, p, `const x = await tools.f()`, { tools: [{ name: 'f' }] });
      expect(texts(await cellIn(host, p, `x.length`))).to.deep.equal(['3']);
    }));

  it('leaves ordinary sessions as they were: a fresh isolate per cell, no result item', () =>
    withHost(async (host) => {
      await openSession(host);
      await execute(host, { source: `globalThis.kept = 1` });
      expect(texts(await execute(host, { source: `text(typeof kept); 1 + 1` }))).to.deep.equal(['undefined']);
      expect(await execute(host, { source: `const a = 1` })).to.deep.include({ status: 'completed', error: null });
      expect(await execute(host, { source: `const a = 2` })).to.deep.include({ status: 'completed', error: null });
    }));

  it('answers SessionBusy (-32021) while a cell runs; after a wait the next execute works', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      let release!: () => void;
      const answered = new Promise<void>((resolve) => (release = resolve));
      host.delegate = async () => {
        await answered;
        return { result: 'done' };
      };
      const first = await cellIn(host, p, `const r = await tools.slow(); r`, { tools: [{ name: 'slow' }], yieldTimeMs: 0 });
      expect(first.status).to.equal('yielded');
      const refused = await host.request('cell/execute', { sessionId: p, source: '1' });
      expect(refused.error?.code).to.equal(-32021);
      expect(refused.error?.data).to.deep.equal({ kind: 'SessionBusy', sessionId: p, cellId: first.cellId });
      const waited = host.call('cell/wait', { sessionId: p, cellId: first.cellId });
      release();
      expect(await waited).to.deep.include({ status: 'completed', error: null, items: [{ type: 'text', text: 'done' }] });
      expect(texts(await cellIn(host, p, `r + '!'`))).to.deep.equal(['done!']);
      expect(resetsOf(host, p)).to.deep.equal([]);
    }));

  it('keeps the realm after an error, a syntax error and exit()', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      await cellIn(host, p, `const kept = 'kept'`);
      expect((await cellIn(host, p, `throw new Error('x')`)).error).to.match(/^Error: x/);
      expect((await cellIn(host, p, `const = ;`)).error).to.match(/^SyntaxError/);
      expect(await cellIn(host, p, `exit()`)).to.deep.include({ status: 'completed', error: null });
      expect(texts(await cellIn(host, p, `kept`))).to.deep.equal(['kept']);
      expect(resetsOf(host, p)).to.deep.equal([]);
    }));

  for (const language of ['javascript', 'typescript']) {
    it(`refuses a ${language} source that closes its function wrapper: a syntax error, nothing runs, the realm is kept`, () =>
      withHost(async (host) => {
        const p = await openPersistent(host, 'p', { cpuTimeLimitMs: 2000 });
        await cellIn(host, p, `const kept = 'kept'`);
        for (const source of ['}); for (;;) {} (async function () {', '})(); globalThis.escaped = 1; (async function () {']) {
          const response = await cellIn(host, p, source, { language });
          expect(response.status).to.equal('completed');
          expect(response.error).to.match(/^SyntaxError/);
        }
        expect(texts(await cellIn(host, p, `[kept, typeof escaped]`))).to.deep.equal(['["kept","undefined"]']);
        expect(resetsOf(host, p)).to.deep.equal([]);
      }));
  }
});

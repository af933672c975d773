import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { Sandbox } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { runCell, texts } from './harness.js';

describe('sandbox: cell globals', () => {
  let sandbox: Sandbox;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());

  const ok = async (source: string, options: Parameters<typeof runCell>[2] = {}) => {
    const result = await runCell(sandbox, source, options);
    expect(result.exit).to.deep.equal({ kind: 'completed', error: null });
    return result.rec;
  };
  const failsWith = async (source: string, pattern: RegExp) => {
    const { exit } = await runCell(sandbox, source);
    expect(exit.kind).to.equal('completed');
    expect(exit.kind === 'completed' && exit.error).to.match(pattern);
  };

  describe('text', () => {
    it('converts strings, primitives, objects and unstringifiable values', async () => {
      const rec = await ok(`
        text('plain'); text(10); text(1.5); text(true); text(null); text(undefined); text(10n);
        text({a: 1, b: [1, 'x']}); text([1, 2]); text(function f() {}); text(Symbol('s'));
        if (text('x') !== undefined) throw new Error('text returned a value');`);
      expect(texts(rec)).to.deep.equal([
        'plain', '10', '1.5', 'true', 'null', 'undefined', '10', '{"a":1,"b":[1,"x"]}', '[1,2]', 'function f() {}', 'Symbol(s)', 'x',
      ]);
    });
    it('throws when JSON.stringify throws', async () => {
      await failsWith('const a = {}; a.self = a; text(a)', /^TypeError: Converting circular structure to JSON[\s\S]*at cell-1\.js:1:/);
    });
  });

  describe('console', () => {
    it('makes one text item per call, arguments joined by spaces, for every method', async () => {
      const rec = await ok(`console.log('a', 1, {b: 2}); console.info('i'); console.debug('d'); console.warn('w'); console.error('e', null); console.log();`);
      expect(texts(rec)).to.deep.equal(['a 1 {"b":2}', 'i', 'd', 'w', 'e null', '']);
    });
    it("replaces V8's console and cannot be overwritten", async () => {
      const rec = await ok(`
        text(Object.hasOwn(globalThis, 'console'));
        try { console.log = () => {} } catch (e) { text(e.name) }
        try { globalThis.console = null } catch (e) { text(e.name) }
        console.log('still ours');`);
      expect(texts(rec)).to.deep.equal(['true', 'TypeError', 'TypeError', 'still ours']);
    });
  });

  describe('image', () => {
    const png = 'data:image/png;base64,AAAA';
    it('accepts a data URL, {imageUrl}, {image_url, detail} and MCP image blocks', async () => {
      const rec = await ok(`
        image('${png}');
        image({imageUrl: '${png}', detail: 'low'});
        image({image_url: '${png}', detail: 'HIGH'});
        image({image_url: '${png}', detail: 'low'}, 'original');
        image({type: 'image', data: 'BBBB', mimeType: 'image/jpeg'});
        image({type: 'image', data: '${png}'}, 'auto');`);
      expect(rec.items).to.deep.equal([
        { type: 'image', imageUrl: png },
        { type: 'image', imageUrl: png, detail: 'low' },
        { type: 'image', imageUrl: png, detail: 'high' },
        { type: 'image', imageUrl: png, detail: 'original' },
        { type: 'image', imageUrl: 'data:image/jpeg;base64,BBBB' },
        { type: 'image', imageUrl: png, detail: 'auto' },
      ]);
    });
    for (const [value, pattern] of [
      [`'https://example.com/a.png'`, /^Error: image does not accept remote URLs/],
      [`'not a url'`, /^Error: image expects a data: URL/],
      [`42`, /^Error: image expects a data: URL string, an object/],
      [`{content: []}`, /^Error: image expects a data: URL string, an object/],
      [`{type: 'text', text: 'x'}`, /^Error: image only accepts MCP image blocks, got "text"/],
      [`{type: 'image', data: ''}`, /^Error: image expects MCP image data/],
      [`'${png}', 'huge'`, /^Error: image detail must be one of: auto, low, high, original/],
      [`{imageUrl: 5}`, /^Error: image expects imageUrl to be a string/],
    ] as const) {
      it(`throws an Error for image(${value})`, async () => {
        await failsWith(`image(${value})`, pattern);
      });
    }
    it('throws Error objects the cell can catch', async () => {
      const rec = await ok(`try { image(1) } catch (e) { text(e instanceof Error) }`);
      expect(texts(rec)).to.deep.equal(['true']);
    });
  });

  describe('tools and ALL_TOOLS', () => {
    const tools = [
      { jsName: 'echo', description: 'echoes' },
      { jsName: 'fail', description: 'fails' },
    ];
    const tool = async (jsName: string, inputJson: string | undefined) =>
      jsName === 'fail'
        ? { ok: false as const, message: 'it failed' }
        : { ok: true as const, result: { got: inputJson ?? null } };

    it('lists the tools in a frozen ALL_TOOLS', async () => {
      const rec = await ok(
        `text(ALL_TOOLS); text(Object.isFrozen(ALL_TOOLS) && Object.isFrozen(ALL_TOOLS[0]) && Object.isFrozen(tools)); text(Object.keys(tools));`,
        { tools },
      );
      expect(texts(rec)).to.deep.equal([JSON.stringify([{ name: 'echo', description: 'echoes' }, { name: 'fail', description: 'fails' }]), 'true', '["echo","fail"]']);
    });
    it('sends JSON input, or none for no argument, undefined or a function', async () => {
      const rec = await ok(
        `const p = tools.echo({a: [1]}); text(p instanceof Promise); text(await p);
         text(await tools.echo()); text(await tools.echo(undefined)); text(await tools.echo(() => 1)); text(await tools.echo('s'));`,
        { tools, tool },
      );
      expect(texts(rec)).to.deep.equal(['true', '{"got":"{\\"a\\":[1]}"}', '{"got":null}', '{"got":null}', '{"got":null}', '{"got":"\\"s\\""}']);
      expect(rec.log.filter((entry) => entry.startsWith('tool:'))).to.deep.equal([
        'tool:echo:{"a":[1]}', 'tool:echo:undefined', 'tool:echo:undefined', 'tool:echo:undefined', 'tool:echo:"s"',
      ]);
    });
    it('rejects with an Error carrying the failure message', async () => {
      const rec = await ok(`try { await tools.fail({}) } catch (e) { text(e instanceof Error); text(e.message) }`, { tools, tool });
      expect(texts(rec)).to.deep.equal(['true', 'it failed']);
    });
    it('throws synchronously when the input cannot be stringified', async () => {
      const rec = await ok(`const a = {}; a.a = a; try { tools.echo(a); text('no') } catch (e) { text(e.name) }`, { tools, tool });
      expect(texts(rec)).to.deep.equal(['TypeError']);
      expect(rec.log.some((entry) => entry.startsWith('tool:'))).to.equal(false);
    });
    it('flushes earlier output before each tool call', async () => {
      const rec = await ok(`await null; text('a'); text('b'); await tools.echo(1); text('c');`, { tools, tool });
      expect(rec.log.join(',')).to.match(/^(output,)+tool:echo:1,output$/);
      expect(texts(rec)).to.deep.equal(['a', 'b', 'c']);
    });
    it('runs thousands of concurrent calls', async () => {
      const rec = await ok(
        `const results = await Promise.all(Array.from({length: 3000}, (_, i) => tools.echo(i)));
         text(results.length); text(results[2999]);`,
        { tools, tool: async (_name, input) => ({ ok: true, result: input === undefined ? null : JSON.parse(input) }) },
      );
      expect(texts(rec)).to.deep.equal(['3000', '2999']);
    });
  });

  describe('store and load', () => {
    it('stores JSON and loads fresh copies', async () => {
      const rec = await ok(`
        store('k', {a: [1, 2]}); const x = load('k'); x.a.push(3); text(load('k')); text(load('missing') === undefined);
        store(5, 'five'); text(load('5')); text(load('seeded'));`, { seed: { seeded: '{"s":true}' } });
      expect(texts(rec)).to.deep.equal(['{"a":[1,2]}', 'true', 'five', '{"s":true}']);
      expect(rec.store.get('k')).to.equal('{"a":[1,2]}');
    });
    it('throws on values JSON cannot represent', async () => {
      const rec = await ok(`
        for (const v of [undefined, () => 1, Symbol('s')]) { try { store('k', v); text('stored') } catch (e) { text(e.message) } }
        try { store('k', 1n) } catch (e) { text(e.name) }
        try { store(Symbol('k'), 1) } catch (e) { text(e.message) }`);
      expect(texts(rec)).to.deep.equal([
        ...Array(3).fill('Unable to store "k". Only plain serializable values can be stored.'),
        'TypeError',
        'store key must be a string',
      ]);
    });
    it("throws the host's refusal", async () => {
      await failsWith(`store('forbidden', 1)`, /^Error: store refused/);
    });
  });

  describe('output batching', () => {
    // Only the order and the shape are asserted: how many items share a batch depends on timing.
    it('flushes a lone item at once, after an idle stretch too', async () => {
      const rec = await ok(`text('a'); const t = Date.now(); while (Date.now() - t < 50) {} text('d');`);
      expect(rec.batches).to.deep.equal([[{ type: 'text', text: 'a' }], [{ type: 'text', text: 'd' }]]);
    });
    it('batches a flood of items, keeping their order', async () => {
      const rec = await ok(`for (let i = 0; i < 2000; i++) text(i);`);
      expect(rec.batches.length).to.be.below(50);
      expect(rec.batches.flat().map((item) => (item.type === 'text' ? item.text : ''))).to.deep.equal(Array.from({ length: 2000 }, (_, i) => String(i)));
    });
  });

  describe('notify and yield_control', () => {
    it('notify converts like text, flushes output first, and refuses blank text', async () => {
      const rec = await ok(`await null; text('before'); notify({n: 1}); try { notify('  \\n') } catch (e) { text(e.message) }`);
      expect(rec.log.slice(0, 2)).to.deep.equal(['output', 'notify:{"n":1}']);
      expect(texts(rec)).to.deep.equal(['before', 'notify expects non-empty text']);
    });
    it('yield_control flushes output then yields', async () => {
      const rec = await ok(`await null; text('a'); text('b'); yield_control(); text('c');`);
      expect(rec.log).to.deep.equal(['output', 'output', 'yield', 'output']);
      expect(texts(rec)).to.deep.equal(['a', 'b', 'c']);
    });
  });

  describe('errors', () => {
    it('reports an uncaught Error as its stack with user frames and lines', async () => {
      const { exit } = await runCell(sandbox, `// line 1\nfunction f() {\n  throw new RangeError('nope');\n}\nawait null;\nf();`, { filename: 'cell-7.js' });
      expect(exit).to.deep.equal({ kind: 'completed', error: 'RangeError: nope\n    at f (cell-7.js:3:9)\n    at cell-7.js:6:1' });
    });
    it('reports thrown strings, plain objects and other values by their text', async () => {
      expect((await runCell(sandbox, `throw 'just a string'`)).exit).to.deep.equal({ kind: 'completed', error: 'just a string' });
      expect((await runCell(sandbox, `await null; throw {code: 7}`)).exit).to.deep.equal({ kind: 'completed', error: '{"code":7}' });
      expect((await runCell(sandbox, `throw 42`)).exit).to.deep.equal({ kind: 'completed', error: '42' });
      expect((await runCell(sandbox, `throw undefined`)).exit).to.deep.equal({ kind: 'completed', error: 'undefined' });
    });
    it('reports a rejected top-level promise and an unhandled rejection', async () => {
      expect((await runCell(sandbox, `await Promise.reject(new Error('r'))`)).exit).to.deep.equal({ kind: 'completed', error: 'Error: r\n    at cell-1.js:1:22' });
      const { exit } = await runCell(sandbox, `Promise.reject(new Error('lost')); await new Promise(() => {});`);
      expect(exit).to.deep.equal({ kind: 'completed', error: 'Error: lost\n    at cell-1.js:1:16' });
    });
    it('reports helper errors without the helper frames', async () => {
      const { exit } = await runCell(sandbox, `\nnotify('')`);
      expect(exit).to.deep.equal({ kind: 'completed', error: 'Error: notify expects non-empty text\n    at cell-1.js:2:1' });
    });
    it('reports a SyntaxError with its position', async () => {
      expect((await runCell(sandbox, `const a = 1;\nconst b = ;`)).exit).to.deep.equal({ kind: 'completed', error: "SyntaxError: Unexpected token ';' [cell-1.js:2:11]" });
    });
    it('makes every import fail with "Unsupported import in cell"', async () => {
      expect((await runCell(sandbox, `import fs from 'node:fs';\ntext(1)`)).exit).to.deep.equal({ kind: 'completed', error: 'Unsupported import in cell: node:fs' });
      expect((await runCell(sandbox, `import 'x';`)).exit).to.deep.equal({ kind: 'completed', error: 'Unsupported import in cell: x' });
      const exported = (await runCell(sandbox, `export const a = 1;`)).exit;
      expect(exported.kind === 'completed' && exported.error).to.match(/^Unsupported export in cell: SyntaxError/);
      const dynamic = (await runCell(sandbox, `await import('x')`)).exit;
      expect(dynamic.kind === 'completed' && dynamic.error).to.be.a('string');
    });
  });

  describe('typescript', () => {
    it('strips interfaces, enums, generics and annotations', async () => {
      const rec = await ok(
        `interface P { x: number }\nenum Color { Red, Green }\nfunction id<T>(v: T): T { return v }\nconst p: P = { x: 1 };\ntext(id<number>(p.x) + Color.Green);\ntype T = string;\nconst s = 'a' as T;\ntext(s!);`,
        { language: 'typescript', filename: 'cell-1.ts' },
      );
      expect(texts(rec)).to.deep.equal(['2', 'a']);
    });
    it('keeps line numbers of errors after type-only lines', async () => {
      const { exit } = await runCell(sandbox, `interface A {\n  a: string;\n}\ntype B = A | null;\nconst b: B = null;\nthrow new Error('line 6');`, {
        language: 'typescript',
        filename: 'cell-2.ts',
      });
      expect(exit).to.deep.equal({ kind: 'completed', error: 'Error: line 6\n    at cell-2.ts:6:7' });
    });
    it('reports a strip error as the cell error', async () => {
      const { exit } = await runCell(sandbox, `const x: = 1;`, { language: 'typescript', filename: 'cell-3.ts' });
      expect(exit.kind === 'completed' && exit.error).to.match(/^SyntaxError: .*cell-3\.ts/);
    });
  });
});

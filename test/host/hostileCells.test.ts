/**
 * Hostile cells against a real host: each ends with a defined answer, and the host, the session
 * and other sessions keep serving.
 */
import { expect } from 'chai';
import { withHost, type RawHost } from '../support/rawHost.js';
import { execute, openSession, texts } from '../support/cells.js';

async function stillServes(host: RawHost): Promise<void> {
  expect(texts(await execute(host, { sessionId: 'bystander', source: 'text("alive")' }))).to.deep.equal(['alive']);
}

describe('hostile cells', function () {
  const hostile = (name: string, limits: Record<string, unknown>, source: string, check: (r: Awaited<ReturnType<typeof execute>>) => void) =>
    it(name, () =>
      withHost(async (host) => {
        await openSession(host, 's', limits);
        await openSession(host, 'bystander');
        const bystander = execute(host, { sessionId: 'bystander', source: 'await new Promise((r) => setTimeout(r, 200)); text("unaffected")' });
        check(await execute(host, { source }));
        expect(texts(await bystander)).to.deep.equal(['unaffected']);
        await stillServes(host);
      }),
    );

  hostile('deep recursion ends the cell with a RangeError', {}, 'function f(n) { return f(n + 1) + 1 }\nf(0)', (r) => {
    expect(r.status).to.equal('completed');
    expect(r.error).to.match(/^RangeError: Maximum call stack size exceeded/);
  });

  hostile('an output flood is bounded by maxOutputBytes and stopped by the CPU limit', { maxOutputBytes: 65536, cpuTimeLimitMs: 500 }, 'while (true) text("x".repeat(1000))', (r) => {
    expect(r.error).to.equal('cell exceeded its CPU time limit of 500 ms');
    const all = texts(r);
    expect(all.length).to.be.at.most(66);
    expect(all[all.length - 1]).to.match(/^\[output truncated: \d+ bytes dropped\]$/);
  });

  hostile('a timer flood is capped with an error in JavaScript', {}, 'for (;;) setTimeout(() => {}, 1e9)', (r) => {
    expect(r.status).to.equal('completed');
    expect(r.error).to.match(/at most 1024 pending timers/);
  });

  hostile('a toJSON that never returns is stopped by the CPU limit', { cpuTimeLimitMs: 300 }, 'text({ toJSON() { while (true) {} } })', (r) => {
    expect(r.error).to.equal('cell exceeded its CPU time limit of 300 ms');
  });

  hostile('a memory bomb of strings ends with the heap limit', { heapLimitMb: 16 }, 'let s = "x"; const keep = []; while (true) { s = s + s.slice(0, 1e5); keep.push(s) }', (r) => {
    expect(r.error).to.match(/heap limit of 16 MB|Invalid string length|Array buffer allocation failed/);
  });

  it('a tool-call flood of 2000 parallel calls completes, answered by the client', () =>
    withHost(
      async (host) => {
      await openSession(host, 's', { maxPendingToolCalls: 5000 });
      host.delegate = (m) => ({ result: (m.params as any).input });
      const response = await execute(host, {
        source: 'const r = await Promise.all(Array.from({ length: 2000 }, (_, i) => tools.id(i))); text(r.reduce((a, b) => a + b, 0))',
        tools: [{ name: 'id' }],
      });
      expect(texts(response)).to.deep.equal([String((1999 * 2000) / 2)]);
      },
      ['--max-pending-delegate-calls', '5000'],
    ));

  it('cannot alter its batched tool calls or their answers with setters and getters on the prototypes', () =>
    withHost(async (host) => {
      await openSession(host, 's', { maxPendingToolCalls: 3 });
      await openSession(host, 'bystander');
      const inputs: unknown[] = [];
      host.delegate = (m) => {
        const { input } = m.params as { input: unknown };
        inputs.push(input);
        if (input === 'b') throw { code: -32000, message: 'no b' };
        return { result: { got: input } };
      };
      // Hooks stay planted while the batch leaves (at the first await) and while the answers
      // are settled; every run of one counts.
      const source = `
        await undefined;
        let hooked = '';
        const hook = (name) => ({ configurable: true, get() { hooked += 'get ' + name + ';'; return true; }, set() { hooked += 'set ' + name + ';'; } });
        const INDEXES = ['0', '1', '2', '3'], OPTIONS = ['copy', 'arguments', 'reference', 'externalCopy', 'promise', 'result', 'resolve', 'reject'];
        for (let i = 0; i < INDEXES.length; i++) Object.defineProperty(Array.prototype, INDEXES[i], hook(INDEXES[i]));
        for (let i = 0; i < OPTIONS.length; i++) Object.defineProperty(Object.prototype, OPTIONS[i], hook(OPTIONS[i]));
        const push = Array.prototype.push;
        Array.prototype.push = function () { hooked += 'push;'; return 0; };
        const a = tools.id('a'), b = tools.id('b'), c = tools.id('c'), d = tools.id('d');
        let out = '';
        const settle = async (tag, p) => { try { out += tag + ' ' + JSON.stringify(await p) + '|'; } catch (e) { out += tag + ' error ' + e.message + '|'; } };
        await settle('d', d); await settle('a', a); await settle('b', b); await settle('c', c);
        for (let i = 0; i < INDEXES.length; i++) delete Array.prototype[INDEXES[i]];
        for (let i = 0; i < OPTIONS.length; i++) delete Object.prototype[OPTIONS[i]];
        Array.prototype.push = push;
        text({ hooked, out: out.split('|') });
      `;
      const response = await execute(host, { source, tools: [{ name: 'id' }] });
      expect(response.error).to.equal(null);
      expect(JSON.parse(texts(response)[0] ?? '{}')).to.deep.equal({
        hooked: '',
        out: [
          'd error cell exceeded its limit of 3 pending tool calls (maxPendingToolCalls); await some before calling more',
          'a {"got":"a"}',
          'b error no b',
          'c {"got":"c"}',
          '',
        ],
      });
      expect(inputs).to.deep.equal(['a', 'b', 'c']);
      await stillServes(host);
    }));

  it('cannot reach the host: no process, require, isolated-vm objects or bridge globals', () =>
    withHost(async (host) => {
      await openSession(host);
      // Walks everything reachable from the global object (own keys, prototypes, property values).
      const source = `
        const seen = new Set(); const bad = [];
        const visit = (value, path, depth) => {
          if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || depth > 8) return;
          seen.add(value);
          const keys = Reflect.ownKeys(value);
          if (keys.includes('applySync') || keys.includes('derefInto') || keys.includes('copySync')) bad.push(path);
          for (const key of keys) {
            let child; try { child = value[key] } catch { continue }
            visit(child, path + '.' + String(key), depth + 1);
          }
          visit(Object.getPrototypeOf(value), path + '.__proto__', depth + 1);
        };
        visit(globalThis, 'globalThis', 0);
        const global = Function('return this')();
        text({ bad, reached: seen.size, process: typeof process, require: typeof require, globalProcess: typeof global.process,
               wasm: typeof WebAssembly, sab: typeof SharedArrayBuffer, atomics: typeof Atomics,
               globals: Reflect.ownKeys(globalThis).map(String).filter((n) => !STANDARD.includes(n)).sort() });
      `;
      const standard = [
        'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error',
        'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array',
        'Int8Array', 'Intl', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError',
        'Reflect', 'RegExp', 'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array',
        'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'decodeURI', 'decodeURIComponent', 'encodeURI',
        'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
        'Iterator', 'SuppressedError', 'DisposableStack', 'AsyncDisposableStack', 'Float16Array',
        // Standard since Node 26 (V8 14.x).
        'Temporal',
      ];
      const response = await execute(host, { source: `const STANDARD = ${JSON.stringify(standard)};\n${source}`, tools: [{ name: 'probe' }] });
      expect(response.error).to.equal(null);
      const report = JSON.parse(texts(response)[0] ?? '{}');
      expect(report.reached).to.be.above(500);
      delete report.reached;
      expect(report).to.deep.equal({
        bad: [],
        process: 'undefined',
        require: 'undefined',
        globalProcess: 'undefined',
        wasm: 'undefined',
        sab: 'undefined',
        atomics: 'undefined',
        globals: ['ALL_TOOLS', 'clearTimeout', 'console', 'exit', 'image', 'load', 'notify', 'setTimeout', 'store', 'text', 'tools', 'yield_control'],
      });
    }));
});

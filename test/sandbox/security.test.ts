import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { Sandbox } from '../../server/sandbox/api.js';
import { createSandbox } from '../../server/sandbox/sandbox.js';
import { runCell, texts } from './harness.js';

/**
 * Walks every object reachable from the cell's globals and from what the helpers return or
 * throw: own property names and symbols, values, accessors and (where they run) their results,
 * and prototypes. Reports any value that looks like an isolated-vm handle.
 */
const WALK = String.raw`
const HANDLE_MEMBERS = ['applySync', 'applySyncPromise', 'applyIgnored', 'derefInto', 'copySync', 'copyInto', 'getSync', 'setSync', 'setIgnored', 'compileScriptSync', 'createContextSync'];
const seen = new Set();
const found = [];
const queue = [];
const visit = (value, path) => {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) return;
  seen.add(value);
  queue.push([value, path]);
};
let caught; try { image(1) } catch (e) { caught = e }
let rejected; try { await tools.fail() } catch (e) { rejected = e }
const pending = tools.echo({ a: 1 });
visit(globalThis, 'globalThis');
visit(caught, 'imageError');
visit(rejected, 'toolError');
visit(pending, 'toolPromise');
visit(await pending, 'toolResult');
store('k', { a: [1] });
visit(load('k'), 'loaded');
while (queue.length > 0) {
  const [object, path] = queue.shift();
  for (const member of HANDLE_MEMBERS) {
    let has = false;
    try { has = member in object } catch {}
    if (has) found.push(path + ' has ' + member);
  }
  try { visit(Object.getPrototypeOf(object), path + '.__proto__') } catch {}
  let keys = [];
  try { keys = Reflect.ownKeys(object) } catch {}
  for (const key of keys) {
    const name = path + '.' + String(key);
    let descriptor;
    try { descriptor = Object.getOwnPropertyDescriptor(object, key) } catch { continue }
    if (descriptor === undefined) continue;
    if ('value' in descriptor) { visit(descriptor.value, name); continue }
    visit(descriptor.get, name + '<get>');
    visit(descriptor.set, name + '<set>');
    try { visit(Reflect.apply(descriptor.get, object, []), name + '<got>') } catch {}
  }
}
text({ walked: seen.size, found });
`;

describe('sandbox: security', () => {
  let sandbox: Sandbox;
  before(() => (sandbox = createSandbox({ logger: silentLogger })));
  after(() => sandbox.dispose());

  const tools = [
    { jsName: 'echo', description: 'echo' },
    { jsName: 'fail', description: 'fails' },
  ];
  const tool = async (jsName: string) =>
    jsName === 'fail' ? { ok: false as const, message: 'no' } : { ok: true as const, result: { r: [1, { s: 'x' }] } };

  it('reaches no isolated-vm handle from anything the cell is given', async () => {
    const { exit, rec } = await runCell(sandbox, WALK, { tools, tool });
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    const report = JSON.parse(texts(rec)[0]!) as { walked: number; found: string[] };
    expect(report.found).to.deep.equal([]);
    expect(report.walked).to.be.above(500);
  });

  it('has no Node.js globals, no bridge globals and no removed V8 globals', async () => {
    const { exit, rec } = await runCell(
      sandbox,
      `const names = ['process', 'require', 'module', 'exports', 'global', 'Buffer', 'ivm', '_ivm', '$0', 'WebAssembly', 'SharedArrayBuffer', 'Atomics', 'fetch', 'queueMicrotask'];
       text(names.filter((name) => typeof globalThis[name] !== 'undefined' || Object.hasOwn(globalThis, name)));
       text(typeof process === 'undefined' && typeof require === 'undefined');
       text(Reflect.ownKeys(globalThis).filter((k) => typeof k === 'string' && /^[$_]|ivm|isolate|bridge|host/i.test(k)));`,
    );
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['[]', 'true', '[]']);
  });

  it('gives only the isolate global through the Function constructor', async () => {
    const { exit, rec } = await runCell(
      sandbox,
      `const g = tools.echo.constructor.constructor('return this')();
       text(g === globalThis);
       text(typeof g.process);
       text(text.constructor('return typeof process')());
       const AsyncFunction = (async () => {}).constructor;
       text(await AsyncFunction('return typeof require')());`,
      { tools, tool },
    );
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['true', 'undefined', 'undefined', 'undefined']);
  });

  it('exposes neither helper functions nor receivers through stack-trace call sites', async () => {
    const { exit, rec } = await runCell(
      sandbox,
      `const leaks = [];
       Error.prepareStackTrace = (error, sites) => {
         for (const site of sites) {
           if (site.getFileName() !== 'cell-1.js') leaks.push(typeof site.getFunction(), typeof site.getThis());
         }
         return 'x';
       };
       Error.captureStackTrace = Error.captureStackTrace;
       try { image(1) } catch (e) { e.stack }
       try { notify('') } catch (e) { e.stack }
       try { await tools.fail() } catch (e) { e.stack }
       text(leaks.filter((t) => t !== 'undefined'));`,
      { tools, tool },
    );
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['[]']);
  });

  it('ignores transfer options planted on Object.prototype', async () => {
    const { exit, rec } = await runCell(
      sandbox,
      `Object.prototype.reference = true;
       const r = await tools.echo({ a: 1 });
       text([typeof r.r, 'derefInto' in r, 'copySync' in r]);`,
      { tools, tool },
    );
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['["object",false,false]']);
  });

  it('makes the helper globals read-only and non-configurable', async () => {
    const { exit, rec } = await runCell(
      sandbox,
      `const names = ['tools', 'ALL_TOOLS', 'text', 'image', 'console', 'store', 'load', 'notify', 'yield_control', 'exit', 'setTimeout', 'clearTimeout'];
       text(names.filter((name) => { const d = Object.getOwnPropertyDescriptor(globalThis, name); return !d || d.writable || d.configurable; }));`,
    );
    expect(exit).to.deep.equal({ kind: 'completed', error: null });
    expect(texts(rec)).to.deep.equal(['[]']);
  });
});

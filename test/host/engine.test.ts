/**
 * The host refuses an engine it must not run cells on: a vulnerable isolated-vm, or one with no
 * native build for this platform, found without loading it; a build that is there but does not
 * load is reported by the sandbox process to the cells that needed it. The integration cases run
 * the real host entry from a copy of dist/ beside a node_modules whose isolated-vm is replaced by a
 * stand-in package.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineProblem, isVulnerableIsolatedVm } from '../../server/sandbox/engine.js';
import { execute, openSession } from '../support/cells.js';
import { RawHost } from '../support/rawHost.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Copied, not linked: a sandbox process may read only its package's folders, and a link is
 * followed to where it points (these are what a sandbox process loads from node_modules).
 */
const SANDBOX_MODULES = new Set(['acorn', 'node-gyp-build']);

/** The stand-in's entry, as isolated-vm's own: node-gyp-build finds the native build and loads it. */
const REAL_LOADER = "module.exports = require('node-gyp-build')(__dirname).ivm;";

/**
 * A package root holding dist/server, dist/schemas and node_modules with a stand-in isolated-vm of
 * `version` whose entry is `main`, and `files` (path → content) beside it; none when `version` is null.
 */
function hostWithIsolatedVm(version: string | null, main = '', files: Record<string, string> = {}): { entry: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'codemode-engine-'));
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  for (const dir of ['server', 'schemas']) cpSync(join(ROOT, 'dist', dir), join(root, 'dist', dir), { recursive: true });
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name === 'isolated-vm' || name.startsWith('.')) continue;
    if (SANDBOX_MODULES.has(name)) cpSync(join(ROOT, 'node_modules', name), join(modules, name), { recursive: true });
    else symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  const entry = join(root, 'dist', 'server', 'main.js');
  const dispose = () => rmSync(root, { recursive: true, force: true });
  if (version === null) return { entry, dispose };
  const ivm = join(modules, 'isolated-vm');
  mkdirSync(ivm);
  writeFileSync(join(ivm, 'package.json'), JSON.stringify({ name: 'isolated-vm', version, main: 'index.js' }));
  writeFileSync(join(ivm, 'index.js'), main);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(ivm, path)), { recursive: true });
    writeFileSync(join(ivm, path), content);
  }
  return { entry, dispose };
}

function run(entry: string) {
  return spawnSync(process.execPath, [entry], { encoding: 'utf8', input: '', timeout: 20_000 });
}

describe('engine check', () => {
  it('knows which isolated-vm releases carry GHSA-864f-rcv7-6rh4', () => {
    const verdicts = Object.fromEntries(['4.7.2', '5.0.4', '6.0.2', '6.1.2', '6.2.0', '7.0.0', '7.0.1', '7.1.0', '8.0.0', 'garbage'].map((v) => [v, isVulnerableIsolatedVm(v)]));
    expect(verdicts).to.deep.equal({
      '4.7.2': true, '5.0.4': true, '6.0.2': true, '6.1.2': true, '6.2.0': false,
      '7.0.0': true, '7.0.1': false, '7.1.0': false, '8.0.0': false, garbage: true,
    });
  });

  it('refuses Node before 24 and names what to do', () => {
    expect(engineProblem('v20.20.2', '7.0.1')).to.match(/^Node v20\.20\.2 is not supported: codemode-host needs Node 24 or later/);
    expect(engineProblem('v24.0.0', '7.0.1')).to.equal(null);
    expect(engineProblem('v26.12.1', '7.0.1')).to.equal(null);
  });

  it('exits 3 with one clear line when isolated-vm is not installed', function () {
    this.timeout(30_000);
    const host = hostWithIsolatedVm(null);
    try {
      const result = run(host.entry);
      expect(result.status).to.equal(3);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal('codemode-host: isolated-vm is not installed: run `npm install` in the codemode-host package (Node >= 24)\n');
    } finally {
      host.dispose();
    }
  });

  it('exits 3 with one clear line when the installed isolated-vm is a vulnerable release', function () {
    this.timeout(30_000);
    const host = hostWithIsolatedVm('7.0.0', 'throw new Error("a vulnerable engine must never be loaded")');
    try {
      const result = run(host.entry);
      expect(result.status).to.equal(3);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.equal(
        'codemode-host: isolated-vm 7.0.0 is affected by GHSA-864f-rcv7-6rh4 (a sandbox escape) and will not be used: install isolated-vm 7.0.1 or later (`npm install isolated-vm@7.0.1`)\n',
      );
    } finally {
      host.dispose();
    }
  });

  it('exits 3 saying how to rebuild when isolated-vm has no native build for this platform, without loading it', function () {
    this.timeout(30_000);
    const host = hostWithIsolatedVm('7.0.1', 'throw new Error("the host must never load the addon")');
    try {
      const result = run(host.entry);
      expect(result.status).to.equal(3);
      expect(result.stdout).to.equal('');
      const build = `platform=${process.platform} arch=${process.arch} runtime=node abi=${process.versions.modules}`;
      expect(result.stderr.startsWith(
        `codemode-host: isolated-vm 7.0.1 has no native build that loads on Node ${process.version} (${process.platform}-${process.arch}): No native build was found for ${build} `,
      ), result.stderr).to.equal(true);
      expect(result.stderr).to.match(/\. Reinstall it with `npm rebuild isolated-vm` \(it ships prebuilt binaries for Linux, macOS and Windows on Node 24 and 26; elsewhere it compiles with python3, make and a C\+\+ compiler\)\n$/);
      expect(result.stderr.split('\n')).to.have.length(2);
    } finally {
      host.dispose();
    }
  });

  it('a native build that is found but does not load fails each cell saying so, and the host keeps serving', async function () {
    this.timeout(30_000);
    const host = hostWithIsolatedVm('7.0.1', REAL_LOADER, { 'build/Release/isolated-vm.node': 'not a shared object' });
    const raw = new RawHost([], { entry: host.entry });
    try {
      const init = await raw.request('initialize', { protocolVersion: 1 });
      expect(init.error).to.equal(undefined);
      await openSession(raw);
      const expected = new RegExp(
        `^sandbox process exited: isolated-vm 7\\.0\\.1 has no native build that loads on Node ${process.version.replace(/\./g, '\\.')} \\(${process.platform}-${process.arch}\\): \\S+/build/Release/isolated-vm\\.node: .+\\. Reinstall it with \`npm rebuild isolated-vm\``,
      );
      for (const source of ['text(1)', 'text(2)']) {
        const response = await execute(raw, { source });
        expect(response.status).to.equal('completed');
        expect(response.error).to.match(expected);
      }
      expect(raw.child.exitCode).to.equal(null);
    } finally {
      raw.kill();
      await raw.exited;
      host.dispose();
    }
  });

  it('starts with the installed isolated-vm', () => {
    const result = run(join(ROOT, 'dist', 'server', 'main.js'));
    expect(result.status).to.equal(0);
    expect(result.stderr).to.match(/codemode-host \d+\.\d+\.\d+ ready/);
  });
});

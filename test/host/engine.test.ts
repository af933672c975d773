/**
 * The host refuses an engine it must not run cells on: a vulnerable isolated-vm, or one with no
 * loadable native build. The integration cases run the real host entry from a copy of dist/
 * beside a node_modules whose isolated-vm is replaced by a stand-in package.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineProblem, isVulnerableIsolatedVm } from '../../server/sandbox/engine.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A package root holding dist/server, dist/schemas and node_modules with a stand-in isolated-vm. */
function hostWithIsolatedVm(version: string, main: string): { entry: string; dispose(): void } {
  const root = mkdtempSync(join(tmpdir(), 'codemode-engine-'));
  cpSync(join(ROOT, 'package.json'), join(root, 'package.json'));
  for (const dir of ['server', 'schemas']) cpSync(join(ROOT, 'dist', dir), join(root, 'dist', dir), { recursive: true });
  const modules = join(root, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    if (name !== 'isolated-vm' && !name.startsWith('.')) symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  const ivm = join(modules, 'isolated-vm');
  mkdirSync(ivm);
  writeFileSync(join(ivm, 'package.json'), JSON.stringify({ name: 'isolated-vm', version, main: 'index.js' }));
  writeFileSync(join(ivm, 'index.js'), main);
  return { entry: join(root, 'dist', 'server', 'main.js'), dispose: () => rmSync(root, { recursive: true, force: true }) };
}

function run(entry: string) {
  return spawnSync(process.execPath, ['--no-node-snapshot', entry], { encoding: 'utf8', input: '', timeout: 20_000 });
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

  it('exits 3 saying how to rebuild when isolated-vm has no loadable native build', function () {
    this.timeout(30_000);
    const host = hostWithIsolatedVm('7.0.1', 'throw new Error("No native build was found for platform=linux arch=x64 runtime=node abi=999")');
    try {
      const result = run(host.entry);
      expect(result.status).to.equal(3);
      expect(result.stdout).to.equal('');
      expect(result.stderr).to.match(/^codemode-host: isolated-vm 7\.0\.1 has no native build that loads on Node v\d+\.\d+\.\d+ \(\w+-\w+\): No native build was found for platform=linux arch=x64 runtime=node abi=999\. Reinstall it with `npm rebuild isolated-vm`/);
      expect(result.stderr.split('\n')).to.have.length(2);
    } finally {
      host.dispose();
    }
  });

  it('starts with the installed isolated-vm', () => {
    const result = run(join(ROOT, 'dist', 'server', 'main.js'));
    expect(result.status).to.equal(0);
    expect(result.stderr).to.match(/codemode-host \d+\.\d+\.\d+ ready/);
  });
});

/**
 * The package installs the way users install packages: `npm pack` of this checkout, installed
 * into an empty project, runs a cell with a tool call through the public entry points, and its
 * bins start. npm takes the dependencies from its cache when it can.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const APP = `
import { CodeModeClient } from 'codemode-host';
import { Methods } from 'codemode-host/protocol';
const client = new CodeModeClient({
  delegate: { async invokeTool(call) { return call.input.a + call.input.b; } },
});
const session = await client.openSession();
const result = await session.execute({ source: 'text(await tools.add({ a: 2, b: 3 }) * 7)', tools: [{ name: 'add' }] });
await client.close();
process.stdout.write(JSON.stringify({ status: result.status, items: result.items, method: Methods.cellExecute }));
`;

describe('the packed package', function () {
  this.timeout(300_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'codemode-pack-'));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('packs dist/, installs into an empty project and runs a cell with a tool call', () => {
    // dist/ is already built by the suite's build; --ignore-scripts skips the prepare rebuild.
    execFileSync(NPM, ['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], { cwd: ROOT, encoding: 'utf8' });
    const tarball = readdirSync(dir).find((name) => name.endsWith('.tgz'));
    expect(tarball, 'a tarball').to.be.a('string');
    const listing = execFileSync('tar', ['tzf', join(dir, tarball as string)], { encoding: 'utf8' }).split('\n');
    for (const file of ['package/dist/server/main.js', 'package/dist/client/index.js', 'package/dist/client/index.d.ts', 'package/dist/schemas/index.js', 'package/LICENSE']) {
      expect(listing, file).to.include(file);
    }
    expect(listing.filter((file) => file.startsWith('package/dist/test/') || file.endsWith('.map'))).to.deep.equal([]);

    const app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
    execFileSync(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', join(dir, tarball as string)], { cwd: app, encoding: 'utf8' });
    writeFileSync(join(app, 'app.mjs'), APP);
    const run = spawnSync(process.execPath, ['app.mjs'], { cwd: app, encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).to.equal(0);
    expect(JSON.parse(run.stdout)).to.deep.equal({ status: 'completed', items: [{ type: 'text', text: '35' }], method: 'cell/execute' });

    const version = spawnSync(join(app, 'node_modules', '.bin', 'codemode-host'), ['--version'], { encoding: 'utf8', timeout: 30_000 });
    expect(version.status, version.stderr).to.equal(0);
    expect(version.stdout).to.match(/^codemode-host \d+\.\d+\.\d+\n$/);
  });
});

/**
 * The suite's safety net (test/support/leftoverProcesses.ts), run on a throwaway suite whose one
 * test starts a process and never ends it: the run must fail naming it, kill it, and exit.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processState } from '../support/processes.js';

const MOCHA = createRequire(import.meta.url).resolve('mocha/bin/mocha.js');
const HOOKS = fileURLToPath(new URL('../support/leftoverProcesses.js', import.meta.url));
const REPORTER = fileURLToPath(new URL('../../../test/support/summary-reporter.cjs', import.meta.url));

const LEAKY_TEST = `
const { spawn } = require('node:child_process');
it('starts a process and forgets it', () => {
  const child = spawn('sleep', ['600'], { stdio: 'ignore' });
  console.log('LEFT ' + child.pid);
});
`;

describe('leftover processes after the suite', () => {
  it('fail the run, naming each one, and are killed so the run exits', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'codemode-leftover-'));
    try {
      const file = join(dir, 'leaky.test.cjs');
      writeFileSync(file, LEAKY_TEST);
      const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = execFile(process.execPath, [MOCHA, '--no-config', '--require', HOOKS, '--reporter', REPORTER, file], { encoding: 'utf8' });
        let out = '';
        child.stdout!.on('data', (chunk: string) => (out += chunk));
        child.once('close', (exitCode) => resolve({ code: exitCode, stdout: out }));
      });
      const pid = Number(/LEFT (\d+)/.exec(stdout)?.[1]);
      expect(pid).to.be.greaterThan(0);
      expect(stdout).to.contain(`tests left 1 process(es) running, now killed: ${pid} sleep 600`);
      expect(stdout).to.match(/\n1 passed, 1 failed, 0 skipped\n/);
      expect(code).to.equal(1);
      expect([null, 'Z']).to.include(processState(pid));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

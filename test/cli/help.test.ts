import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lines, ROOT, runCli } from './cliProcess.js';

describe('codemode --help and --version', function () {
  this.timeout(30_000);

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result.stdout).to.equal(`codemode ${version}\n`);
    expect(result.code).to.equal(0);
  });

  it('lists the commands, and each command explains itself', async () => {
    const top = await runCli(['--help']);
    expect(lines(top.stdout)[0]).to.equal('Usage: codemode <command> [options]');
    for (const command of ['run', 'repl', 'record', 'replay']) expect(top.stdout).to.match(new RegExp(`^  ${command}\\b`, 'm'));
    for (const command of ['run', 'repl', 'record']) {
      const result = await runCli([command, '--help']);
      expect(lines(result.stdout)[0], command).to.match(new RegExp(`^Usage: codemode ${command}\\b`));
      expect(result.stderr).to.equal('');
      expect(result.code).to.equal(0);
    }
  });
});

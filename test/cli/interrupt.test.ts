import { expect } from 'chai';
import { childPids, lines, processExists, scratchDir, startCli } from './cliProcess.js';

const RESET_1 = '[session reset (terminated) in cell 1: variables were lost; the store is kept]';

describe('Ctrl-C (SIGINT)', function () {
  this.timeout(30_000);
  const scratch = scratchDir({ 'spin.js': 'text("spinning"); yield_control();\nwhile (true) {}\n' });

  after(() => scratch.remove());

  it('during run: terminates a CPU-bound cell, exits 130 and leaves no host behind', async () => {
    const cli = startCli(['run', 'spin.js'], { cwd: scratch.dir });
    cli.child.stdin.end();
    // The output streams once the cell runs, so the host exists by then.
    await cli.printed('spinning\n');
    const hosts = childPids(cli.child.pid as number);
    expect(hosts, 'the host child').to.have.lengthOf(1);
    cli.child.kill('SIGINT');
    const result = await cli.result;
    expect(lines(result.stdout)).to.deep.equal(['spinning']);
    expect(lines(result.stderr)).to.deep.equal(['terminated']);
    expect(result.code).to.equal(130);
    expect(processExists(hosts[0] as number), `host ${hosts[0]}`).to.equal(false);
  });

  it('in the repl: terminates the running cell, not the prompt', async () => {
    const cli = startCli(['repl']);
    cli.child.stdin.write('text("spinning"); await new Promise((resolve) => setTimeout(resolve, 20)); while (true) {}\n');
    await cli.printed('spinning\n');
    cli.child.kill('SIGINT');
    cli.child.stdin.end('text("still here")\n.exit\n');
    const result = await cli.result;
    expect(lines(result.stdout)).to.deep.equal(['> spinning', '> still here', '> ']);
    expect(lines(result.stderr)).to.deep.equal([RESET_1, 'terminated']);
    expect(result.code).to.equal(0);
  });

  it('in the repl at the prompt: offers to stop a cell still running, and a second Ctrl-C stops it', async () => {
    const cli = startCli(['repl']);
    cli.child.stdin.write('const kept = 1\ntext("bg"); yield_control(); while (true) {}\n');
    await cli.errPrinted('[cell 2 yielded; .wait 2 to continue]\n');
    cli.child.kill('SIGINT');
    await cli.errPrinted('(cell 2 is still running: press Ctrl+C again to stop it, or .wait 2)\n');
    cli.child.kill('SIGINT');
    await cli.errPrinted('terminated\n');
    cli.child.stdin.end('typeof kept\n.exit\n');
    const result = await cli.result;
    expect(lines(result.stdout).at(-2)).to.match(/> undefined$/);
    expect(lines(result.stderr)).to.deep.equal([
      '[cell 2 yielded; .wait 2 to continue]',
      '(cell 2 is still running: press Ctrl+C again to stop it, or .wait 2)',
      '[session reset (terminated) in cell 2: variables were lost; the store is kept]',
      'terminated',
    ]);
    expect(result.code).to.equal(0);
  });
});

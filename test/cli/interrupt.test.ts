import { expect } from 'chai';
import { childPids, lines, processExists, scratchDir, startCli } from './cliProcess.js';

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
    expect(lines(result.stderr)).to.deep.equal(['terminated']);
    expect(result.code).to.equal(0);
  });
});

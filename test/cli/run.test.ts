import { expect } from 'chai';
import { lines, runCli, scratchDir } from './cliProcess.js';

describe('codemode run', function () {
  this.timeout(30_000);
  const scratch = scratchDir({
    'fail.js': 'text("before the throw");\nthrow new Error("boom\\nsecond line");\n',
    'typed.ts': 'interface Point { x: number; y: number }\nconst p: Point = { x: 3, y: 4 };\ntext(`length ${Math.hypot(p.x, p.y)}`);\nimage("data:image/png;base64,iVBORw0KGgo=");\n',
    'failingTools.mjs': 'export async function broken() { throw new Error("the tool broke"); }\n',
    'useBroken.js': 'try { await tools.broken({}); } catch (e) { text(`caught: ${e.message}`); }\nawait tools.broken({});\n',
    'forever.js': 'await new Promise(() => {});\n',
    'noFunctions.mjs': 'export const answer = 42;\n',
    'throwsOnLoad.mjs': 'throw new Error("cannot start");\n',
  });
  const { dir } = scratch;

  after(() => scratch.remove());

  it('runs examples/hello.js with examples/tools.mjs, streaming through a yield', async () => {
    const result = await runCli(['run', 'examples/hello.js', '--tools', 'examples/tools.mjs']);
    expect(lines(result.stdout)).to.deep.equal(['2 + 3 = 5', 'echo: {"hello":"world"}', 'slept 100 ms']);
    expect(lines(result.stderr)).to.deep.equal(['completed']);
    expect(result.code).to.equal(0);
  });

  it('prints a failing cell\'s output and the first line of its error, and exits 1', async () => {
    const result = await runCli(['run', 'fail.js'], { cwd: dir });
    expect(lines(result.stdout)).to.deep.equal(['before the throw']);
    expect(lines(result.stderr)).to.deep.equal(['failed: Error: boom']);
    expect(result.code).to.equal(1);
  });

  it('runs a .ts file as TypeScript and prints images as mime and size', async () => {
    const result = await runCli(['run', 'typed.ts'], { cwd: dir });
    expect(lines(result.stdout)).to.deep.equal(['length 5', '[image image/png, 8 bytes]']);
    expect(lines(result.stderr)).to.deep.equal(['completed']);
    expect(result.code).to.equal(0);
  });

  it('rejects the cell\'s promise with the message of a throwing tool', async () => {
    const result = await runCli(['run', 'useBroken.js', '--tools', 'failingTools.mjs'], { cwd: dir });
    expect(lines(result.stdout)).to.deep.equal(['caught: the tool broke']);
    expect(lines(result.stderr)).to.deep.equal(['failed: Error: the tool broke']);
    expect(result.code).to.equal(1);
  });

  it('terminates a cell still running after --timeout-ms', async () => {
    const result = await runCli(['run', '--timeout-ms', '300', 'forever.js'], { cwd: dir });
    expect(lines(result.stderr)).to.deep.equal(['terminated: timed out after 300 ms']);
    expect(result.code).to.equal(1);
  });

  describe('usage errors: one line on stderr, exit 2, nothing run', () => {
    const cases: [string, string[], string][] = [
      ['an unknown option', ['run', 'fail.js', '--bogus'], 'codemode run: unknown option --bogus (see codemode run --help)'],
      ['a missing file', ['run', 'absent.js'], 'codemode run: cannot read absent.js: no such file (see codemode run --help)'],
      ['no file', ['run'], 'codemode run: missing the cell file to run (see codemode run --help)'],
      ['a negative number', ['run', 'fail.js', '--yield-ms', '-5'], "codemode run: option '--yield-ms' argument is ambiguous (see codemode run --help)"],
      ['a number that is not one', ['run', 'fail.js', '--timeout-ms', '1.5'], 'codemode run: --timeout-ms takes a positive integer of milliseconds, got "1.5" (see codemode run --help)'],
      ['a tools module that does not exist', ['run', 'fail.js', '--tools', 'absent.mjs'], 'codemode run: cannot load tools module absent.mjs: no such file (see codemode run --help)'],
      ['a tools module that throws', ['run', 'fail.js', '--tools', 'throwsOnLoad.mjs'], 'codemode run: cannot load tools module throwsOnLoad.mjs: cannot start (see codemode run --help)'],
      ['a tools module without functions', ['run', 'fail.js', '--tools', 'noFunctions.mjs'], 'codemode run: tools module noFunctions.mjs exports no functions (see codemode run --help)'],
      ['an unknown command', ['frobnicate'], 'codemode: unknown command "frobnicate" (see codemode --help)'],
      ['no command', [], 'codemode: missing command (see codemode --help)'],
    ];
    for (const [what, args, message] of cases) {
      it(what, async () => {
        const result = await runCli(args, { cwd: dir });
        expect(lines(result.stderr)).to.deep.equal([message]);
        expect(result.stdout).to.equal('');
        expect(result.code).to.equal(2);
      });
    }
  });
});

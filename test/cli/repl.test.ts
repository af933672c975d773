import { expect } from 'chai';
import { lines, runCli } from './cliProcess.js';

/**
 * Piped entries: one line, a multi-line loop, a multi-line cell that yields and is picked up with
 * .wait, a CPU loop ended with .terminate, a tool call, a throw, an unfinished entry submitted by
 * a blank line, and commands; nothing after .exit runs.
 */
const SESSION = [
  'text("hello")',
  'for (const n of [1, 2]) {',
  '  text(n * 10)',
  '}',
  'text("first"); yield_control(); await new Promise((resolve) =>',
  '  setTimeout(resolve, 300)); text("second")',
  '.wait 3',
  'yield_control(); while (true) {}',
  '.terminate 4',
  'text(await tools.add({ a: 2, b: 5 }))',
  'throw new TypeError("bad entry")',
  'text("unclosed"',
  '',
  '.wait 99',
  '.frob',
  '.exit',
  'text("never run")',
];

describe('codemode repl with piped input', function () {
  this.timeout(30_000);

  it('runs each entry as a cell, continues unfinished ones, and serves .wait, .terminate and .exit', async () => {
    const result = await runCli(['repl', '--tools', 'examples/tools.mjs'], { input: `${SESSION.join('\n')}\n` });
    // A plain "> " before each entry; continuation lines get none.
    expect(lines(result.stdout)).to.deep.equal(['> hello', '> 10', '20', '> first', '> second', '> > > 7', '> > > > > ']);
    expect(lines(result.stderr)).to.deep.equal([
      '[cell 3 yielded; .wait 3 to continue]',
      '[cell 4 yielded; .wait 4 to continue]',
      '[session reset (terminated) in cell 4: variables were lost; the store is kept]',
      'terminated',
      'failed: TypeError: bad entry',
      'failed: SyntaxError: missing ) after argument list [cell-7.js:1:6]',
      'missing: cell 99 not found',
      'unknown command .frob (.help lists them)',
    ]);
    expect(result.code).to.equal(0);
  });

  it('keeps variables between entries, prints the last value, and .reset starts a fresh realm', async () => {
    const entries = [
      'const x = 20',
      'function add(a, b) {',
      '  return a + b',
      '}',
      'add(x, 22)',
      '1 + 1',
      'let x = x + 1; x',
      'yield_control(); await new Promise(() => {})',
      'text("refused")',
      '.terminate 6',
      'typeof add',
      'const y = 1',
      '.reset',
      'typeof y',
      '.exit',
    ];
    const result = await runCli(['repl'], { input: `${entries.join('\n')}\n` });
    expect(lines(result.stdout)).to.deep.equal(['> > > 42', '> 2', '> 21', '> > > > undefined', '> > > undefined', '> ']);
    expect(lines(result.stderr)).to.deep.equal([
      '[cell 6 yielded; .wait 6 to continue]',
      '[cell 6 is still running: .wait 6 or .terminate 6 first]',
      '[session reset (terminated) in cell 6: variables were lost; the store is kept]',
      'terminated',
      '[fresh realm: variables and the store were cleared]',
    ]);
    expect(result.code).to.equal(0);
  });

  it('exits 0 at the end of input, and lists its commands with .help', async () => {
    const result = await runCli(['repl'], { input: '.help\ntext(1)\n' });
    expect(lines(result.stdout)[0]).to.equal('> .wait <cell>       wait for a yielded cell to produce more output or end');
    // The end of input comes at the last prompt.
    expect(lines(result.stdout).slice(-2)).to.deep.equal(['> 1', '> ']);
    expect(result.stderr).to.equal('');
    expect(result.code).to.equal(0);
  });
});

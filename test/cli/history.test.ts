import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { HistoryFile, joinHistoryEntry } from '../../client/cli/repl/history.js';
import { scratchDir } from './cliProcess.js';

describe('the repl history file', () => {
  const scratch = scratchDir({});

  after(() => scratch.remove());

  it('is off with an empty CODEMODE_HISTORY, and ~/.codemode_history without one', () => {
    expect(HistoryFile.fromEnv({ CODEMODE_HISTORY: '' })).to.equal(undefined);
    expect(HistoryFile.fromEnv({})).to.deep.equal(HistoryFile.fromEnv({ CODEMODE_HISTORY: join(homedir(), '.codemode_history') }));
  });

  it('saves newest first and loads what it saved; a missing file is an empty history', () => {
    const path = join(scratch.dir, 'history');
    const history = HistoryFile.fromEnv({ CODEMODE_HISTORY: path }) as HistoryFile;
    expect(history.load()).to.deep.equal([]);
    history.save(['text(2)', 'text(1)']);
    expect(readFileSync(path, 'utf8')).to.equal('text(2)\ntext(1)\n');
    expect(history.load()).to.deep.equal(['text(2)', 'text(1)']);
  });

  it('turns the lines readline recorded for a multi-line entry into one entry, kept whole in the file', () => {
    const recorded = ['}', '  return 1', 'function f() {', 'text(1)'];
    joinHistoryEntry(recorded, ['function f() {', '  return 1', '}']);
    expect(recorded).to.deep.equal(['function f() {\n  return 1\n}', 'text(1)']);
    const path = join(scratch.dir, 'multi');
    const history = HistoryFile.fromEnv({ CODEMODE_HISTORY: path }) as HistoryFile;
    history.save(recorded);
    expect(readFileSync(path, 'utf8')).to.equal('function f() {\r  return 1\r}\ntext(1)\n');
    expect(history.load()).to.deep.equal(recorded);
  });

  it('leaves history alone when its front is not the entry just read', () => {
    const recorded = ['other', 'b', 'a'];
    joinHistoryEntry(recorded, ['a', 'b']);
    expect(recorded).to.deep.equal(['other', 'b', 'a']);
  });

  it('keeps quiet when the file cannot be written', () => {
    const history = HistoryFile.fromEnv({ CODEMODE_HISTORY: join(scratch.dir, 'no-such-folder', 'history') }) as HistoryFile;
    expect(() => history.save(['text(1)'])).not.to.throw();
    expect(history.load()).to.deep.equal([]);
  });
});

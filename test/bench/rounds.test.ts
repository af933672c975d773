/**
 * The interleaving the goals' figures are sampled with (bench/rounds.ts), on members that record
 * what was asked of them instead of timing anything: the shares, the rotation, the warm-ups,
 * and that whatever was opened is closed when a member fails.
 */
import { expect } from 'chai';
import { interleave, type Member } from '../../bench/rounds.js';
import { timing } from '../../bench/stats.js';

interface Log {
  events: string[];
}

function member(log: Log, name: string, units: number, warmup: number, fail: { open?: boolean; once?: boolean } = {}): Member {
  let taken = 0;
  return {
    name,
    units,
    warmup,
    summarize: timing,
    async open() {
      if (fail.open) throw new Error(`${name} failed to open`);
      log.events.push(`open ${name}`);
      return {
        async once() {
          if (fail.once) throw new Error(`${name} failed`);
          log.events.push(name);
          return ++taken;
        },
        async close() {
          log.events.push(`close ${name}`);
        },
      };
    },
  };
}

describe('bench interleaved rounds', () => {
  it('warms each member up once, then splits its units between the rounds in a rotating order', async () => {
    const log: Log = { events: [] };
    const samples = await interleave([member(log, 'a', 4, 0), member(log, 'b', 3, 0)], 3);
    expect(log.events).to.deep.equal(['open a', 'open b', 'a', 'a', 'b', 'b', 'a', 'a', 'b', 'close a', 'close b']);
    expect(samples).to.deep.equal({ a: [[1, 2], [3], [4]], b: [[1], [2], [3]] });
  });

  it('starts every turn of a member that has a warm-up with one unmeasured unit', async () => {
    const log: Log = { events: [] };
    const samples = await interleave([member(log, 'a', 4, 1), member(log, 'b', 3, 0)], 3);
    // a: its warm-up (1), then per round a unit unmeasured before its share.
    expect(log.events).to.deep.equal(['open a', 'open b', 'a', 'a', 'a', 'a', 'b', 'b', 'a', 'a', 'a', 'a', 'b', 'close a', 'close b']);
    expect(samples).to.deep.equal({ a: [[3, 4], [6], [8]], b: [[1], [2], [3]] });
  });

  it('closes every member it opened when a sample fails', async () => {
    const log: Log = { events: [] };
    const members = [member(log, 'a', 1, 0), member(log, 'b', 1, 0, { once: true })];
    let failure: unknown;
    await interleave(members, 1).catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('b failed');
    expect(log.events.filter((e) => e.startsWith('close')).sort()).to.deep.equal(['close a', 'close b']);
  });

  it('closes the members already opened when a later one fails to open', async () => {
    const log: Log = { events: [] };
    let failure: unknown;
    await interleave([member(log, 'a', 1, 0), member(log, 'b', 1, 0, { open: true })], 1).catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.equal('b failed to open');
    expect(log.events).to.deep.equal(['open a', 'close a']);
  });

  it('refuses a member with fewer units than rounds', async () => {
    const log: Log = { events: [] };
    let failure: unknown;
    await interleave([member(log, 'a', 1, 0)], 2).catch((error: unknown) => (failure = error));
    expect((failure as Error).message).to.match(/^a: 1 units cannot be split into 2 rounds/);
    expect(log.events).to.deep.equal([]);
  });
});

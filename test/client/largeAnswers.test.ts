/**
 * The client encodes a large answer into the buffer of an earlier one once the host's stdin took
 * that one (client/frameOutput.ts): answers given in turns of their own, each while the one before
 * may still be in the pipe, must all reach the cell intact.
 */
import { expect } from 'chai';
import { CodeModeClient } from '../../client/index.js';
import { RecordingDelegate } from './helpers.js';

/** Shared with the cell, which rebuilds each expected string. Two seeds differ at every position. */
const TEXT_OF = `(seed) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  return (alphabet.slice(seed) + alphabet.slice(0, seed)).repeat(60_000 + seed * 10_000);
}`;
const textOf = new Function(`return ${TEXT_OF}`)() as (seed: number) => string;
const SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

describe('CodeModeClient: large answers in turns of their own', function () {
  this.timeout(60_000);

  it('brings each one to the cell intact', async () => {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const client = new CodeModeClient({
      delegate: new RecordingDelegate({
        text: async (seed) => {
          for (let i = 0; i < (seed as number); i++) await turn();
          return textOf(seed as number);
        },
      }),
    });
    try {
      const session = await client.openSession();
      for (let cell = 0; cell < 2; cell++) {
        const response = await session.execute({
          source: `const textOf = ${TEXT_OF};
            const results = await Promise.all(${JSON.stringify(SEEDS)}.map((seed) => tools.text(seed)));
            text(results.map((r, i) => r === textOf(i + 1) ? 'same' : 'differs').join(', '))`,
          tools: [{ name: 'text' }],
          yieldTimeMs: 50_000,
        });
        expect(response.error).to.equal(null);
        expect(response.items).to.deep.equal([{ type: 'text', text: SEEDS.map(() => 'same').join(', ') }]);
      }
    } finally {
      await client.close();
    }
  });
});

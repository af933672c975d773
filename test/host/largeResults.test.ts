/**
 * Large tool results through the real host, each read into the buffer of the one before once that
 * one is free: by the host (server/transport/messageReader.ts), which writes an ASCII result's
 * bytes to the sandbox process from that buffer (server/rawText.ts), and by the sandbox process
 * (server/sandbox/bulkChannel.ts). Results one after another, and results arriving while the one
 * before is still being written to the sandbox process, must all reach the cell intact.
 */
import { expect } from 'chai';
import { execute, openSession, texts } from '../support/cells.js';
import { withHost } from '../support/rawHost.js';

interface Spec {
  seed: number;
  size: number;
  wide?: boolean;
}

/** Shared with the cell, which rebuilds each expected string. Two seeds differ at every position. */
const TEXT_OF = `({ seed, size, wide }) => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz';
  const unit = alphabet.slice(seed) + alphabet.slice(0, seed) + (wide ? 'é€' : '');
  return unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
}`;
const textOf = new Function(`return ${TEXT_OF}`)() as (spec: Spec) => string;

const ONE_AFTER_ANOTHER: Spec[] = [
  { seed: 1, size: 1_500_000 },
  { seed: 2, size: 3_000_000 },
  { seed: 3, size: 200_000 },
  { seed: 4, size: 1_000_000, wide: true },
  { seed: 5, size: 2_000_000 },
];
const TOGETHER: Spec[] = [
  { seed: 6, size: 1_000_000 },
  { seed: 7, size: 1_200_000 },
  { seed: 8, size: 900_000, wide: true },
  { seed: 9, size: 1_600_000 },
];

const SOURCE = `const textOf = ${TEXT_OF};
  const check = async (spec) => { const r = await tools.text(spec); return r === textOf(spec) ? 'same ' + r.length : 'differs ' + spec.seed; };
  const out = [];
  for (const spec of ${JSON.stringify(ONE_AFTER_ANOTHER)}) out.push(await check(spec));
  out.push(...(await Promise.all(${JSON.stringify(TOGETHER)}.map(check))));
  text(out.join(', '))`;

describe('host: large tool results one after another', function () {
  this.timeout(60_000);

  it('brings every one intact, in a row and while the one before is still being written', () =>
    withHost(async (host) => {
      await openSession(host);
      host.delegate = (m) => ({ result: textOf((m.params as { input: Spec }).input) });
      const expected = [...ONE_AFTER_ANOTHER, ...TOGETHER].map(({ size }) => `same ${size}`).join(', ');
      for (let cell = 0; cell < 2; cell++) {
        const response = await execute(host, { source: SOURCE, tools: [{ name: 'text' }], yieldTimeMs: 50_000 }, 55_000);
        expect(response.error).to.equal(null);
        expect(texts(response)).to.deep.equal([expected]);
      }
    }));
});

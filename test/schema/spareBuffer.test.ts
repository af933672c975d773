import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SpareBuffer } from '../../schemas/spareBuffer.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SpareBuffer', () => {
  it('lends the buffer given back to the next take that fits, and a new one while it is out', () => {
    const spare = new SpareBuffer(1 << 20, 60_000);
    try {
      const first = spare.take(1000);
      expect(first.length).to.equal(1000);
      expect(spare.take(1000).buffer, 'a second buffer while the first is lent').to.not.equal(first.buffer);
      spare.giveBack(first);
      const again = spare.take(1100);
      expect(again.buffer, 'room for an eighth more').to.equal(first.buffer);
      expect(again.length).to.equal(1100);
      spare.giveBack(again);
      expect(spare.take(2000).buffer, 'too small for this one').to.not.equal(first.buffer);
      expect(spare.take(10).buffer, 'still kept').to.equal(first.buffer);
    } finally {
      spare.dispose();
    }
  });

  it('keeps the larger of the buffers given back, and none over its maximum', () => {
    const spare = new SpareBuffer(4096, 60_000);
    try {
      const small = spare.take(100);
      const large = spare.take(1000);
      const huge = spare.take(5000);
      spare.giveBack(large);
      spare.giveBack(small);
      spare.giveBack(huge);
      expect(spare.take(1000).buffer).to.equal(large.buffer);
      expect(spare.take(10).buffer, 'nothing kept besides').to.not.be.oneOf([small.buffer, huge.buffer]);
    } finally {
      spare.dispose();
    }
  });

  it('frees the spare once nothing was given back for idleMs, each give-back restarting the wait', async () => {
    // Give-backs 500 ms apart for longer than idleMs: a stall of this process shorter than 1.5 s
    // between two of them cannot fail it.
    const spare = new SpareBuffer(1 << 20, 2000);
    try {
      const buffer = spare.take(1000);
      spare.giveBack(buffer);
      for (let i = 0; i < 5; i++) {
        await sleep(500);
        const again = spare.take(1000);
        expect(again.buffer, 'kept while given back every 500 ms').to.equal(buffer.buffer);
        spare.giveBack(again);
      }
      for (const started = Date.now(); buffer.buffer.byteLength > 0; await sleep(10)) {
        expect(Date.now() - started, 'freed (detached) once idle').to.be.below(10_000);
      }
      expect(spare.take(1000).buffer).to.not.equal(buffer.buffer);
    } finally {
      spare.dispose();
    }
  });

  it('frees the spare on dispose and keeps nothing given back after it', () => {
    const spare = new SpareBuffer(1 << 20, 60_000);
    const kept = spare.take(1000);
    const late = spare.take(1000);
    spare.giveBack(kept);
    spare.dispose();
    expect(kept.buffer.byteLength).to.equal(0);
    spare.giveBack(late);
    expect(spare.take(1000).buffer).to.not.equal(late.buffer);
  });

  it('does not keep a process alive while it holds a spare', async () => {
    const module = fileURLToPath(new URL('../../schemas/spareBuffer.js', import.meta.url));
    const script = `const { SpareBuffer } = await import(${JSON.stringify(module)});
      const spare = new SpareBuffer(1 << 20, 600_000); spare.giveBack(spare.take(1000));`;
    // Killed, and so failing, if its timer held it for the 600 s.
    await new Promise<void>((resolve, reject) =>
      execFile(process.execPath, ['--input-type=module', '-e', script], { timeout: 10_000 }, (error) => (error ? reject(error) : resolve())),
    );
  });
});

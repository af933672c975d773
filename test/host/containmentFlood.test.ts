/**
 * Output credit between the host and a sandbox process. A client that stops reading while a cell
 * floods output and tool calls: the host stops producing (the cell waits for credit in its sandbox
 * process) instead of buffering, so its RSS stays bounded. A client that reads: credit keeps
 * coming back, in batches, however the cell mixes output and calls.
 */
import { expect } from 'chai';
import { withHost } from '../support/rawHost.js';
import { execute, openSession, texts } from '../support/cells.js';
import { rssBytes } from '../support/containment.js';

const MB = 1024 * 1024;

describe('containment: output credit', function () {
  this.timeout(60_000);

  it('keeps host RSS bounded while a cell floods output and 100 kB tool inputs', () =>
    withHost(
      async (host) => {
        await openSession(host, 's', { wallTimeLimitMs: 4000 });
        const pid = host.child.pid!;
        const before = rssBytes(pid);
        host.delegate = () => ({ result: null });
        const firstOutput = host.notification('cell/output');
        const response = execute(host, {
          source: 'for (let i = 0; ; i++) { text("x".repeat(10000)); if (i % 10 === 0) tools.echo({ big: "y".repeat(100000) }).catch(() => {}) }',
          tools: [{ name: 'echo' }],
          yieldTimeMs: 60_000,
        });
        await firstOutput;
        host.child.stdout.pause();
        let peak = before;
        // Sampling, not ordering: RSS is read every 50 ms over the cell's 4 s wall limit.
        const deadline = performance.now() + 5000;
        while (performance.now() < deadline) {
          peak = Math.max(peak, rssBytes(pid));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        host.child.stdout.resume();
        const result = await response;
        expect(result.error).to.equal('cell exceeded its wall time limit of 4000 ms');
        process.stderr.write(`      host RSS ${(before / MB).toFixed(1)} MB before, peak ${(peak / MB).toFixed(1)} MB while the client did not read\n`);
        expect(peak - before).to.be.below(100 * MB);
      },
      [],
      { cellOutput: true },
    ));

  it('returns credit for many windows of output streamed between sequential tool calls, so the cell never stalls', () =>
    withHost(
      async (host) => {
        await openSession(host, 's');
        let calls = 0;
        host.delegate = (message) => {
          calls++;
          return { result: (message.params as { input: number }).input };
        };
        // 8 MiB of output (eight windows) in 4 KiB items, a small tool call after every item, and
        // inputs alone (about 4 bytes each) far below a credit batch.
        const source = 'const item = "z".repeat(4096); let sum = 0; for (let i = 0; i < 2048; i++) { text(item); sum += await tools.echo(i) } text("sum " + sum)';
        const result = await execute(host, { source, tools: [{ name: 'echo' }], yieldTimeMs: 60_000 }, 60_000);
        expect(result.status).to.equal('completed');
        expect(result.error).to.equal(null);
        expect(calls).to.equal(2048);
        const streamed = host.notificationsOf('cell/output').flatMap((m) => (m.params as { items: Array<{ text: string }> }).items.map((item) => item.text));
        for (const items of [streamed, texts(result)]) {
          expect(items.filter((text) => text.length === 4096)).to.have.length(2048);
          expect(items.at(-1)).to.equal(`sum ${(2047 * 2048) / 2}`);
        }
      },
      [],
      { cellOutput: true },
    ));
});

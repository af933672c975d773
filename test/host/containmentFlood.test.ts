/**
 * A client that stops reading while a cell floods output and tool calls: the host stops producing
 * (the cell waits for credit in its sandbox process) instead of buffering, so its RSS stays bounded.
 */
import { expect } from 'chai';
import { withHost } from '../support/rawHost.js';
import { execute, openSession } from '../support/cells.js';
import { rssBytes } from '../support/containment.js';

const MB = 1024 * 1024;

describe('containment: a client that stops reading', function () {
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
});

import { expect } from 'chai';
import type ivm from 'isolated-vm';
import { createCpuWatch } from '../../server/sandbox/cpuWatch.js';
import { sleep } from './harness.js';

/** Just the two members the watch reads. */
const fakeIsolate = (cpuTime: bigint) => ({ cpuTime, isDisposed: false }) as { cpuTime: bigint; isDisposed: boolean };

/** A watch callback that counts its calls, and the first call as an event to wait for (the watch polls). */
function firings(): { count: () => number; first: Promise<void>; fire: () => void } {
  let count = 0;
  let first!: () => void;
  const firstCall = new Promise<void>((resolve) => (first = resolve));
  return { count: () => count, first: firstCall, fire: () => (count++, first()) };
}

describe('sandbox: cpu watch', () => {
  it('fires once when CPU time since watching passes the limit, not before', async () => {
    const watch = createCpuWatch(5);
    const isolate = fakeIsolate(7_000_000_000n);
    const fired = firings();
    const entry = watch.watch(isolate as unknown as ivm.Isolate, 100, fired.fire);
    isolate.cpuTime += 99_000_000n;
    await sleep(20);
    expect(fired.count()).to.equal(0);
    isolate.cpuTime += 2_000_000n;
    await fired.first;
    isolate.cpuTime += 500_000_000n;
    await sleep(20);
    expect(fired.count()).to.equal(1);
    entry.unwatch();
  });

  it('stops watching an unwatched or disposed isolate', async () => {
    const watch = createCpuWatch(5);
    const a = fakeIsolate(0n);
    const b = fakeIsolate(0n);
    let fired = 0;
    watch.watch(a as unknown as ivm.Isolate, 10, () => fired++).unwatch();
    watch.watch(b as unknown as ivm.Isolate, 10, () => fired++);
    b.isDisposed = true;
    a.cpuTime = b.cpuTime = 1_000_000_000n;
    await sleep(20);
    expect(fired).to.equal(0);
  });

  it('counts work charged to the cell outside its isolate', async () => {
    const watch = createCpuWatch(5);
    const isolate = fakeIsolate(0n);
    const fired = firings();
    const entry = watch.watch(isolate as unknown as ivm.Isolate, 100, fired.fire);
    isolate.cpuTime += 60_000_000n;
    entry.charge(30);
    await sleep(20);
    expect(fired.count()).to.equal(0);
    entry.charge(11);
    await fired.first;
    expect(fired.count()).to.equal(1);
  });
});

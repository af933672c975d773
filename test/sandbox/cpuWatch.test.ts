import { expect } from 'chai';
import type ivm from 'isolated-vm';
import { createCpuWatch } from '../../server/sandbox/cpuWatch.js';
import { sleep } from './harness.js';

/** Just the two members the watch reads. */
const fakeIsolate = (cpuTime: bigint) => ({ cpuTime, isDisposed: false }) as { cpuTime: bigint; isDisposed: boolean };

describe('sandbox: cpu watch', () => {
  it('fires once when CPU time since watching passes the limit, not before', async () => {
    const watch = createCpuWatch(5);
    const isolate = fakeIsolate(7_000_000_000n);
    let fired = 0;
    const entry = watch.watch(isolate as unknown as ivm.Isolate, 100, () => fired++);
    isolate.cpuTime += 99_000_000n;
    await sleep(20);
    expect(fired).to.equal(0);
    isolate.cpuTime += 2_000_000n;
    await sleep(20);
    isolate.cpuTime += 500_000_000n;
    await sleep(20);
    expect(fired).to.equal(1);
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
    let fired = 0;
    const entry = watch.watch(isolate as unknown as ivm.Isolate, 100, () => fired++);
    isolate.cpuTime += 60_000_000n;
    entry.charge(30);
    await sleep(20);
    expect(fired).to.equal(0);
    entry.charge(11);
    await sleep(20);
    expect(fired).to.equal(1);
  });
});

/**
 * CPU-time limits for every running cell, from one shared polling interval.
 * `timeout` options cannot stop code running after an await (isolated-vm #185), and
 * `isolate.cpuTime` counts only time JavaScript runs in the isolate; work done outside it on the
 * cell's behalf (store, load, timers) is charged to the entry on top.
 */
import type ivm from 'isolated-vm';

interface Watched {
  isolate: ivm.Isolate;
  startNs: bigint;
  limitNs: bigint;
  chargedNs: bigint;
  onExceeded: () => void;
}

export interface CpuWatchEntry {
  /** Adds work done for the cell outside its isolate. */
  charge(ms: number): void;
  unwatch(): void;
}

export interface CpuWatch {
  /** Calls `onExceeded` once when the isolate's CPU time since now, plus what is charged, passes `limitMs`. */
  watch(isolate: ivm.Isolate, limitMs: number, onExceeded: () => void): CpuWatchEntry;
}

export function createCpuWatch(pollMs: number): CpuWatch {
  const watched = new Set<Watched>();
  let interval: NodeJS.Timeout | null = null;

  const poll = () => {
    for (const entry of watched) {
      if (entry.isolate.isDisposed) watched.delete(entry);
      else if (entry.isolate.cpuTime - entry.startNs + entry.chargedNs > entry.limitNs) {
        watched.delete(entry);
        entry.onExceeded();
      }
    }
    stopWhenIdle();
  };
  const stopWhenIdle = () => {
    if (watched.size === 0 && interval !== null) {
      clearInterval(interval);
      interval = null;
    }
  };

  return {
    watch(isolate, limitMs, onExceeded) {
      const entry: Watched = { isolate, startNs: isolate.cpuTime, limitNs: BigInt(limitMs) * 1_000_000n, chargedNs: 0n, onExceeded };
      watched.add(entry);
      if (interval === null) {
        interval = setInterval(poll, pollMs);
        interval.unref();
      }
      return {
        charge(ms) {
          entry.chargedNs += BigInt(Math.round(ms * 1_000_000));
        },
        unwatch() {
          watched.delete(entry);
          stopWhenIdle();
        },
      };
    },
  };
}

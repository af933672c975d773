/**
 * Prepared isolates kept ready so a cell does not wait for isolate creation and bootstrap.
 * Each cell still gets a fresh isolate: a pooled one is handed out once and never returned.
 * Pools exist for the default heap limit and the few other limits seen most recently, and
 * are refilled off the request path.
 */
import type { Logger } from '../log.js';
import { messageOf } from './errors.js';
import { prepareIsolate, type PreparedIsolate } from './prepared.js';

export interface IsolatePool {
  /** A prepared isolate with this heap limit: a pooled one, or a new one when none is ready. */
  take(heapLimitMb: number): Promise<PreparedIsolate>;
  /** Tops the pools up on a later turn; called once the taker's cell has started, so refilling does not delay it. */
  refillSoon(): void;
  /** Disposes the idle isolates and stops refilling; `take` then always creates. */
  dispose(): void;
}

export interface PoolOptions {
  logger: Logger;
  /** Idle isolates kept per heap limit; 0 disables pooling. */
  size: number;
  defaultHeapLimitMb: number;
  /** How many non-default heap limits keep a pool. */
  recentLimits: number;
}

export function createIsolatePool({ logger, size, defaultHeapLimitMb, recentLimits }: PoolOptions): IsolatePool {
  const idle = new Map<number, PreparedIsolate[]>();
  /** Non-default limits, least recently used first. */
  const recent: number[] = [];
  let refilling = false;
  let disposed = false;

  const pooledLimits = () => [defaultHeapLimitMb, ...recent];
  const idleCount = (limit: number) => idle.get(limit)?.length ?? 0;

  const drop = (limit: number) => {
    for (const prepared of idle.get(limit) ?? []) prepared.isolate.dispose();
    idle.delete(limit);
  };

  const noteUse = (limit: number) => {
    if (limit === defaultHeapLimitMb) return;
    const at = recent.indexOf(limit);
    if (at !== -1) recent.splice(at, 1);
    recent.push(limit);
    if (recent.length > recentLimits) drop(recent.shift()!);
  };

  const refill = async () => {
    for (;;) {
      const limit = pooledLimits().find((l) => idleCount(l) < size);
      if (limit === undefined || disposed) break;
      let prepared: PreparedIsolate;
      try {
        prepared = await prepareIsolate(limit, logger);
      } catch (error) {
        logger.error(`isolate pool refill failed: ${messageOf(error)}`);
        break;
      }
      if (disposed || !pooledLimits().includes(limit)) prepared.isolate.dispose();
      else idle.set(limit, [...(idle.get(limit) ?? []), prepared]);
    }
    refilling = false;
  };

  const refillSoon = () => {
    if (refilling || disposed || size === 0) return;
    refilling = true;
    setImmediate(() => void refill());
  };

  refillSoon();
  return {
    take(heapLimitMb) {
      noteUse(heapLimitMb);
      const prepared = idle.get(heapLimitMb)?.shift();
      return prepared ? Promise.resolve(prepared) : prepareIsolate(heapLimitMb, logger);
    },
    refillSoon,
    dispose() {
      disposed = true;
      for (const limit of [...idle.keys()]) drop(limit);
    },
  };
}

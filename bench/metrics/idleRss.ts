/**
 * idle_session_rss_kb: host RSS per open idle session. A fresh host runs one cell (so code,
 * isolate pool and JIT are warm), then `sessions` sessions are opened; the figure is the RSS
 * growth divided by their number, read from /proc after each step has settled.
 */
import type { Value } from '../stats.js';
import { benchClient } from '../benchClient.js';
import { rssKiB } from '../rss.js';
import { round } from '../stats.js';
import { executeOnce } from './execute.js';

const SETTLE_MS = 500;

const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

export async function idleSessionRss(sessions: number): Promise<Value> {
  const client = benchClient({ hostLimits: { maxSessions: sessions + 1 } });
  try {
    const first = await client.openSession();
    for (let i = 0; i < 20; i++) await executeOnce(first);
    await settle();
    const pid = client.hostPid!;
    const before = await rssKiB(pid);
    for (let i = 0; i < sessions; i++) await client.openSession();
    await settle();
    const after = await rssKiB(pid);
    return { value: round((after - before) / sessions), unit: 'KiB' };
  } finally {
    await client.close();
  }
}

/**
 * Runs in a child process of the bench, one system per process, so that start-up and memory are
 * measured from a clean slate:
 *   probe.js startup <system>: ms from before the system's modules load to its first cell's result
 *   probe.js memory <system> <sessions> <cells>: RSS growth per idle session and per running cell
 * and prints the figures as JSON on stdout. For codemode-host the RSS counts this process (the
 * client), the host and the host's sandbox processes, where the cells run; the in-process peers
 * have only this one. Before the baseline, WARM_SESSIONS sessions each run cells, so the sandbox
 * processes a host starts for its first sessions are in the baseline and the figures are what one
 * more session or cell costs.
 */
import { descendantPids, rssKiB } from '../rss.js';
import { SYSTEMS } from './systems.js';
import type { SystemSession } from './system.js';

const [kind, name, sessionsArg, cellsArg] = process.argv.slice(2);
const load = SYSTEMS[name ?? ''];
if (load === undefined || (kind !== 'startup' && kind !== 'memory')) {
  throw new Error(`usage: probe.js startup|memory <${Object.keys(SYSTEMS).join('|')}> [sessions cells]`);
}

const collect = (globalThis as { gc?: () => void }).gc;

/** The host's default maxSandboxProcesses: sessions beyond it share those processes. */
const WARM_SESSIONS = 4;

async function settledRss(pids: () => Promise<number[]>): Promise<number> {
  // Twice: finalizers freed by the first collection are collected by the second.
  for (let i = 0; i < 2; i++) {
    collect?.();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  let total = 0;
  for (const pid of await pids()) total += await rssKiB(pid);
  return total;
}

if (kind === 'startup') {
  const started = performance.now();
  const system = await load();
  await system.start();
  const ms = performance.now() - started;
  await system.stop();
  process.stdout.write(`${JSON.stringify({ ms })}\n`);
} else {
  const sessions = Number(sessionsArg);
  const cells = Number(cellsArg);
  const system = await load();
  await system.start();
  const hostPid = (system as { hostPid?: number }).hostPid;
  const pids = async () => (hostPid === undefined ? [process.pid] : [process.pid, hostPid, ...(await descendantPids(hostPid))]);
  const warm: SystemSession[] = [];
  for (let n = 0; n < WARM_SESSIONS; n++) {
    const session = await system.openSession();
    for (let i = 0; i < 10; i++) await session.run('return (await tools.echo({ n: 1 })).n;');
    warm.push(session);
  }
  const base = await settledRss(pids);
  const open: SystemSession[] = [];
  for (let i = 0; i < sessions; i++) open.push(await system.openSession());
  const idle = await settledRss(pids);
  for (const session of open.slice(0, cells)) await session.startRunning();
  const running = await settledRss(pids);
  for (const session of [...warm, ...open]) await session.close();
  await system.stop();
  process.stdout.write(`${JSON.stringify({ idleSessionKiB: (idle - base) / sessions, runningCellKiB: (running - idle) / cells })}\n`);
}

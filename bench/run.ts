/**
 * `make bench`: measures every floor and figure in one run, checks the goals against the floors
 * of that same run (sampled in interleaved rounds with the figures they bound: goalRounds.ts),
 * and writes results.json and scale.svg (to BENCH_OUT, default bench/) plus a short table on
 * stdout. Progress goes to stderr. BENCH_QUICK=1 and BENCH_SMOKE=1 take fewer samples (mode.ts).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchClient, TOOLS } from './benchClient.js';
import { goalFigures } from './goalRounds.js';
import { checkGoals, type Metrics } from './goals.js';
import { loadAverageNow, machine } from './machine.js';
import { cellsConcurrent } from './metrics/cellsConcurrent.js';
import { idleSessionRss } from './metrics/idleRss.js';
import { respawn } from './metrics/respawn.js';
import { sessionOpen } from './metrics/sessionOpen.js';
import { terminateCpu } from './metrics/terminate.js';
import { PARALLEL_CALLS, type Arrivals } from './metrics/toolCalls.js';
import { modeFromEnv } from './mode.js';
import { peerTable } from './peers/rounds.js';
import { scaleSvg } from './report/svg.js';
import { curvesTable, goalsTable, metricsTable, peersTable } from './report/table.js';
import { cellsCurve } from './scale/cellsCurve.js';
import type { Curve } from './scale/curve.js';
import { payloadCurve } from './scale/payloadCurve.js';
import { sessionsCurve } from './scale/sessionsCurve.js';

const mode = modeFromEnv(process.env);
const outDir = process.env.BENCH_OUT ?? fileURLToPath(new URL('../../bench/', import.meta.url));
const metrics: Metrics = {};

async function step<T>(name: string, measure: () => Promise<T>): Promise<T> {
  process.stderr.write(`bench: ${name}...\n`);
  return measure();
}

async function measure(name: string, run: () => Promise<Metrics[string]>): Promise<void> {
  metrics[name] = await step(name, run);
}

const info = machine(mode.name);
process.stderr.write(`bench: ${mode.name} mode on ${info.cpus} × ${info.cpuModel}, Node ${info.node}, load ${info.loadAverage.join(' ')}\n`);

/**
 * The goals' figures in interleaved rounds, then every other figure that needs one long-lived
 * host, on the same client; returns the goals' rounds and the two curves measured on that host.
 */
async function oneHostFigures(): Promise<{ rounds: Metrics[][]; cells: Curve; payload: Curve }> {
  const arrivals: Arrivals = { record: undefined };
  const client = benchClient({
    hostLimits: { maxPendingDelegateCalls: 4 * PARALLEL_CALLS, maxInFlightRequests: 1024 },
    onToolCall: () => arrivals.record?.(performance.now()),
  });
  try {
    const goals = await goalFigures(mode, client, arrivals, (line) => process.stderr.write(`bench: ${line}\n`));
    Object.assign(metrics, goals.metrics);
    const session = await client.openSession();
    await measure('session_open', () => sessionOpen(client, mode.sessionOpen));
    await measure('terminate_cpu', () => terminateCpu(session, mode.terminate));
    await measure('cells_concurrent', () => cellsConcurrent(session, mode.concurrentCells, mode.concurrentCalls, mode.concurrentRounds));
    return {
      rounds: goals.rounds,
      cells: await step('scale: concurrent cells', () => cellsCurve(client, mode.cellsCurve, mode.curveSamples)),
      payload: await step('scale: payload size', () => payloadCurve(client, mode.payloadCurve, mode.payloadCurveSamples)),
    };
  } finally {
    await client.close();
  }
}

const { rounds, cells, payload } = await oneHostFigures();
const restarting = benchClient({ unlimitedRestarts: true });
try {
  const session = await restarting.openSession();
  await measure('respawn', () => respawn(restarting, session, mode.respawn));
} finally {
  await restarting.close();
}
await measure('idle_session_rss_kb', () => idleSessionRss(mode.idleSessions));
const sessions = await step('scale: open sessions', () => sessionsCurve(mode.sessionsCurve, mode.curveSamples));

const peers = await step('peers', () => peerTable(mode.peers, (line) => process.stderr.write(`bench: ${line}\n`)));

const goals = checkGoals(metrics, rounds);
const curves = { sessions, cells, payload };
const results = {
  machine: { ...info, loadAverageAtEnd: loadAverageNow() },
  metrics,
  goals,
  scale: curves,
  peers,
  notes: {
    tools: TOOLS.map((t) => t.name),
    latency: 'p50/p99 in ms, nearest rank, after a warm-up; goals compare p50s; ratio ≤ 1 means met',
    rounds: `the goals' figures are sampled with their floors in ${mode.rounds} interleaved rounds and pooled; roundRatio is the median of the ratios within each round`,
  },
};
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
const caption = `${info.date.slice(0, 10)} · ${info.cpus} × ${info.cpuModel} · Node ${info.node} · isolated-vm ${info.isolatedVm} · ${mode.name} run`;
await writeFile(join(outDir, 'scale.svg'), scaleSvg(Object.values(curves), caption));
process.stdout.write(`${metricsTable(metrics)}\n\n${goalsTable(goals)}\n\n${curvesTable(curves)}\n\n${peersTable(peers)}\n`);

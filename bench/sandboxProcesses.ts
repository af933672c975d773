/**
 * The cost of running cells in sandbox processes, in one run (`node --no-node-snapshot
 * dist/bench/sandboxProcesses.js`): each figure beside the same work on the in-process engine.
 *  - bridge_rtt: one synchronous bridge crossing (`load(k)`), engine (isolate callback) vs
 *    supervisor (isolate callback + sandbox↔host echo): the new floor.
 *  - tool_call_rtt: sequential `await tools.echo(i)`, answered at once by the events.
 *  - tool_call (N parallel): `Promise.all` of N calls, per call, the cell's start and end included.
 *  - tool_result_16mib: a tool answers with a 16 MiB string; from the answer to the cell's output
 *    of its length (the answer's way into the isolate, and one small output back).
 *  - execute: start → done of `text(1)`.
 *  - sandbox_rss: resident memory of one idle sandbox process.
 *  - replace_ms: SIGKILL of the sandbox process → the next cell of its session completed.
 *  - flood_host_rss: peak host RSS while a cell fires 100,000 tool calls (a real host child).
 */
import { silentLogger } from '../server/log.js';
import type { CellEvents, CellProgram, Sandbox } from '../server/sandbox/api.js';
import { createSandbox } from '../server/sandbox/sandbox.js';
import { Supervisor } from '../server/sandbox/supervisor.js';
import { RawHost } from '../test/support/rawHost.js';
import { rssKiB } from './rss.js';

const events: CellEvents = {
  output() {},
  yieldControl() {},
  toolCall: (_name, input, answer) => answer({ ok: true, result: input === undefined ? null : JSON.parse(input) }),
  notify() {},
  store: () => null,
  load: () => '1',
};

const program = (source: string, sessionId = 'bench'): CellProgram => ({
  sessionId,
  source,
  language: 'javascript',
  filename: 'cell-1.js',
  tools: [{ jsName: 'echo', description: '' }],
  limits: { heapLimitMb: 128, cpuTimeLimitMs: 600_000, wallTimeLimitMs: null, maxOutputBytes: 1 << 24, maxPendingToolCalls: 4096 },
});

async function run(sandbox: Sandbox, source: string, sessionId?: string): Promise<number> {
  const started = performance.now();
  const cell = await sandbox.start(program(source, sessionId), events);
  const exit = await cell.done;
  if (exit.kind !== 'completed' || exit.error !== null) throw new Error(`bench cell failed: ${JSON.stringify(exit)}`);
  return performance.now() - started;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function perOp(sandbox: Sandbox, source: string, ops: number): Promise<number> {
  await run(sandbox, source);
  const samples: number[] = [];
  for (let i = 0; i < 7; i++) samples.push((await run(sandbox, source)) / ops);
  return median(samples);
}

const BIG = Buffer.alloc(16 * 1024 * 1024, 'x').toString('latin1');

async function bigResultMs(sandbox: Sandbox): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < 8; i++) {
    let answeredAt = 0;
    let sample = 0;
    const timed: CellEvents = {
      ...events,
      toolCall: (_name, _input, answer) => {
        answeredAt = performance.now();
        answer({ ok: true, result: BIG });
      },
      output: () => void (sample = performance.now() - answeredAt),
    };
    const cell = await sandbox.start(program('text((await tools.echo()).length)'), timed);
    await cell.done;
    if (i > 0) samples.push(sample);
  }
  return median(samples);
}

async function executeMs(sandbox: Sandbox): Promise<number> {
  for (let i = 0; i < 10; i++) await run(sandbox, 'text(1)');
  const samples: number[] = [];
  for (let i = 0; i < 40; i++) samples.push(await run(sandbox, 'text(1)'));
  return median(samples);
}

async function main(): Promise<void> {
  const engine = createSandbox({ logger: silentLogger });
  const supervisor = new Supervisor({ logger: silentLogger, logLevel: 'error', maxProcesses: 4, idleExitMs: 60_000, whenOutputDrains: () => Promise.resolve() });
  const rows: Array<[string, string, string]> = [];
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;

  const LOADS = 2000;
  const loads = `for (let i = 0; i < ${LOADS}; i++) load('k')`;
  rows.push(['bridge_rtt (load)', us(await perOp(engine, loads, LOADS)), us(await perOp(supervisor, loads, LOADS))]);
  const CALLS = 1000;
  const calls = `for (let i = 0; i < ${CALLS}; i++) await tools.echo(i)`;
  rows.push(['tool_call_rtt (sequential)', us(await perOp(engine, calls, CALLS)), us(await perOp(supervisor, calls, CALLS))]);
  for (const n of [200, 2000]) {
    const parallel = `await Promise.all(Array.from({ length: ${n} }, (_, i) => tools.echo(i)))`;
    rows.push([`tool_call (${n} parallel, per call)`, us(await perOp(engine, parallel, n)), us(await perOp(supervisor, parallel, n))]);
  }
  rows.push(['execute text(1)', `${(await executeMs(engine)).toFixed(2)} ms`, `${(await executeMs(supervisor)).toFixed(2)} ms`]);

  const [pid] = supervisor.pids;
  const sandboxRss = await rssKiB(pid!);
  rows.push(['sandbox_rss (idle process)', '-', `${(sandboxRss / 1024).toFixed(1)} MB`]);
  // After the idle RSS: the 16 MiB strings would be in it until the next GC.
  rows.push(['tool_result_16mib (answer → cell has it)', `${(await bigResultMs(engine)).toFixed(1)} ms`, `${(await bigResultMs(supervisor)).toFixed(1)} ms`]);

  // A fresh supervisor per sample: each has no crash history, so no replacement backoff applies.
  const replaced: number[] = [];
  for (let i = 0; i < 5; i++) {
    const fresh = new Supervisor({ logger: silentLogger, logLevel: 'error', maxProcesses: 1, idleExitMs: 60_000, whenOutputDrains: () => Promise.resolve() });
    await run(fresh, 'text(1)');
    const victims = fresh.pids;
    const killedAt = performance.now();
    for (const victim of victims) process.kill(victim, 'SIGKILL');
    await run(fresh, 'text(1)').catch(() => run(fresh, 'text(1)'));
    replaced.push(performance.now() - killedAt);
    fresh.dispose();
  }
  rows.push(['replace_ms (SIGKILL → next cell done)', '-', `${median(replaced).toFixed(1)} ms`]);
  supervisor.dispose();
  engine.dispose();

  const host = await RawHost.start();
  host.delegate = () => ({ result: null });
  await host.call('session/open', { sessionId: 's' });
  const hostPid = host.child.pid!;
  const before = await rssKiB(hostPid);
  let peak = before;
  let flooding = true;
  const sampler = (async () => {
    while (flooding) {
      peak = Math.max(peak, await rssKiB(hostPid));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })();
  await host.call('cell/execute', { sessionId: 's', source: 'for (let i = 0; i < 100000; i++) tools.echo({ i }).catch(() => {}); await new Promise((r) => setTimeout(r, 100))', tools: [{ name: 'echo' }], yieldTimeMs: 60_000 });
  flooding = false;
  await sampler;
  host.kill();
  rows.push(['flood_host_rss (100,000 calls)', '-', `${(before / 1024).toFixed(1)} → peak ${(peak / 1024).toFixed(1)} MB`]);

  process.stdout.write(`| figure | in-process engine | sandbox process |\n|---|---|---|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n`);
}

await main();

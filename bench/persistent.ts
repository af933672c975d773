/**
 * `make bench-persistent`: persistent against ordinary sessions, in one run with its floors.
 *   trivial cell:       `1` (persistent: its value is the result item) / `text(1)` (ordinary)
 *   one-tool-call cell: `await tools.echo(1)` / `text(await tools.echo(1))`
 * Floors of the same run: echo_rtt (a stdio request between two processes), sandbox_echo (one
 * host↔sandbox-process message and its answer), isolate_callback_inproc (one sandbox
 * process↔isolate crossing) and warm_eval_inproc (a trivial script in a warm context). The
 * trivial cell's floor is their sum; a tool call adds one more of each of the first three
 * (client → host → sandbox process → isolate and back).
 * Writes persistent.json to BENCH_OUT (default bench/) and a table on stdout.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodeModeSession } from '../client/index.js';
import { benchClient, TOOLS } from './benchClient.js';
import { echoRtt } from './floors/echoRtt.js';
import { isolateCallbackInproc } from './floors/isolateCallback.js';
import { sandboxEcho } from './floors/sandboxEcho.js';
import { warmEvalInproc } from './floors/warmEval.js';
import { machine } from './machine.js';
import { modeFromEnv } from './mode.js';
import { interleave, type Member } from './rounds.js';
import { round, sampleMs, timing, warmupFor, type Timing } from './stats.js';

const mode = modeFromEnv(process.env);
const samples = mode.execute;
const outDir = process.env.BENCH_OUT ?? fileURLToPath(new URL('../../bench/', import.meta.url));

async function cells(session: CodeModeSession, source: string, withTools: boolean): Promise<Timing> {
  return timing(
    await sampleMs(warmupFor(samples), samples, async () => {
      const response = await session.execute(withTools ? { source, tools: TOOLS } : { source });
      if (response.status !== 'completed' || response.error !== null || response.items.length !== 1) {
        throw new Error(`cell failed: ${JSON.stringify(response)}`);
      }
    }),
  );
}

process.stderr.write('bench-persistent: floors...\n');
const floors = { echo: echoRtt(mode.echo), callback: isolateCallbackInproc(mode.isolateCallback), hop: sandboxEcho(mode.echo), warmEval: warmEvalInproc(mode.isolateCell) };
const floorSamples = await interleave(Object.values(floors), 1);
const pooled = (member: Member<Timing>): Timing => member.summarize(floorSamples[member.name]!.flat());
const echo = pooled(floors.echo);
const callback = pooled(floors.callback);
const hop = pooled(floors.hop);
const warmEval = pooled(floors.warmEval);

process.stderr.write('bench-persistent: sessions...\n');
const client = benchClient();
const figures: Record<string, Timing> = {};
try {
  const persistent = await client.openSession({ persistent: true });
  const ordinary = await client.openSession();
  figures.persistent_trivial = await cells(persistent, '1', false);
  figures.persistent_tool_call = await cells(persistent, 'await tools.echo(1)', true);
  figures.ordinary_trivial = await cells(ordinary, 'text(1)', false);
  figures.ordinary_tool_call = await cells(ordinary, 'text(await tools.echo(1))', true);
} finally {
  await client.close();
}

const trivialFloor = echo.p50 + hop.p50 + callback.p50 + warmEval.p50;
const toolFloor = trivialFloor + echo.p50 + hop.p50 + callback.p50;
const floorOf = (name: string) => (name.endsWith('tool_call') ? toolFloor : trivialFloor);
const ratios = Object.fromEntries(Object.entries(figures).map(([name, t]) => [name, round(t.p50 / floorOf(name))]));
const results = {
  machine: machine(mode.name),
  floors: { echo_rtt: echo, sandbox_echo: hop, isolate_callback_inproc: callback, warm_eval_inproc: warmEval, trivial: round(trivialFloor), tool_call: round(toolFloor) },
  figures,
  ratios,
  goal: 1.3,
};
await writeFile(join(outDir, 'persistent.json'), `${JSON.stringify(results, null, 2)}\n`);
const rows = Object.entries(figures).map(
  ([name, t]) => `| ${name} | ${t.p50} | ${t.p99} | ${round(floorOf(name))} | ${ratios[name]} |`,
);
process.stdout.write(['| cell | p50 ms | p99 ms | floor ms | p50 / floor |', '|---|---|---|---|---|', ...rows].join('\n') + '\n');

/**
 * Keeps the benchmark harness from rotting: runs it end to end in smoke mode (a few samples per
 * figure) and checks that results.json holds every metric, goal and curve in the right shape.
 * Benchmarks are not tests: no figure is compared with anything here.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
/** The TanStack peer's bench-only install (bench/peers/tanstack/), which `make bench` makes and `make test` does not. */
const TANSTACK_STAMP = fileURLToPath(new URL('../../../bench/peers/tanstack/node_modules/.install-stamp', import.meta.url));
const TANSTACK = 'TanStack ai-code-mode in-process';

const TIMINGS = ['echo_rtt', 'echo_parallel', 'node_start', 'isolate_cell_inproc', 'isolate_callback_inproc', 'isolate_callback_parallel_inproc', 'sandbox_echo', 'sandbox_echo_parallel', 'execute_rtt', 'tool_call_rtt', 'tool_call_parallel', 'session_open', 'host_start', 'first_cell', 'respawn', 'terminate_cpu'];
const VALUES = ['payload_16mb_mbps', 'pipe_payload_16mb_mbps', 'idle_session_rss_kb', 'cells_concurrent'];
/** The goals with a fixed bound: their figures are not sampled in rounds beside a floor. */
const UNROUNDED = ['respawn', 'terminate_cpu', 'idle_session_rss_kb'];
const GOALS = ['execute_rtt', 'tool_call_rtt', 'tool_call_parallel', 'tool_call_rtt', 'tool_call_parallel', 'host_start', 'respawn', 'terminate_cpu', 'idle_session_rss_kb', 'payload_16mb_mbps'];
/** Positions in GOALS of the goals whose floors leave out the hop to the sandbox process. */
const WITHOUT_HOP = [1, 2];

const PEER_ROWS = ['trivial_cell', 'one_tool_call', 'parallel_1000', 'payload_16mib', 'sessions_100x10', 'startup', 'idle_session_memory', 'running_cell_memory'];

const positive = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('bench harness (smoke mode)', function () {
  // Smoke mode is a few seconds of work, but the peers' workloads are fixed in size and a loaded
  // two-core machine stretches them.
  this.timeout(240_000);
  let out: string;
  let results: any;

  before(async () => {
    out = await mkdtemp(join(tmpdir(), 'bench-smoke-'));
    await promisify(execFile)(process.execPath, ['--no-node-snapshot', RUN], { env: { ...process.env, BENCH_SMOKE: '1', BENCH_OUT: out } });
    results = JSON.parse(await readFile(join(out, 'results.json'), 'utf8'));
  });

  after(() => rm(out, { recursive: true, force: true }));

  it('records the machine', () => {
    expect(results.machine).to.include.keys('cpus', 'node', 'date', 'mode');
    expect(results.machine.mode).to.equal('smoke');
  });

  it('has every timing as {p50, p99, unit: ms}', () => {
    for (const name of TIMINGS) {
      const metric = results.metrics[name];
      expect(metric, name).to.include({ unit: 'ms' });
      expect(positive(metric.p50) && positive(metric.p99) && metric.p99 >= metric.p50, name).to.equal(true);
    }
  });

  it('has every single figure as {value, unit}', () => {
    for (const name of VALUES) {
      const metric = results.metrics[name];
      expect(metric, name).to.have.keys('value', 'unit');
      expect(typeof metric.value, name).to.equal('number');
    }
  });

  it('checks every goal with a ratio, and a goal against a floor with the median of its per-round ratios too', () => {
    expect(results.goals.map((g: any) => g.metric)).to.deep.equal(GOALS);
    results.goals.forEach((goal: any, i: number) => {
      expect(positive(goal.ratio) && typeof goal.met === 'boolean', goal.metric).to.equal(true);
      expect(UNROUNDED.includes(goal.metric) ? goal.roundRatio === null : positive(goal.roundRatio), goal.metric).to.equal(true);
      expect(WITHOUT_HOP.includes(i) ? positive(goal.hopFloorRatio) : goal.hopFloorRatio === null, `${goal.metric} (${goal.goal})`).to.equal(true);
    });
  });

  it('says what the goals without the hop would get from a host that costs only its floors and the hop', () => {
    const [rtt, parallel] = WITHOUT_HOP.map((i) => results.goals[i]);
    const p50 = (name: string) => results.metrics[name].p50;
    expect(rtt.hopFloorRatio).to.be.closeTo((p50('echo_rtt') + p50('sandbox_echo') + p50('isolate_callback_inproc')) / rtt.bound, 0.01 * rtt.hopFloorRatio);
    expect(parallel.hopFloorRatio).to.be.closeTo(
      (p50('echo_parallel') + p50('sandbox_echo_parallel') + p50('isolate_callback_parallel_inproc')) / parallel.bound,
      0.01 * parallel.hopFloorRatio,
    );
  });

  it('has the three scale curves with slopes, and their plot', async () => {
    for (const name of ['sessions', 'cells', 'payload']) {
      const curve = results.scale[name];
      expect(curve.points.length, name).to.be.greaterThan(1);
      expect(typeof curve.slope, name).to.equal('number');
    }
    expect(await readFile(join(out, 'scale.svg'), 'utf8')).to.match(/^<svg[\s\S]*<\/svg>\n$/);
  });

  it('has the peers table: every workload on every installed system, with ratios to ours', () => {
    const installed = existsSync(TANSTACK_STAMP);
    const systems = ['codemode-host', 'isolated-vm in-process', 'QuickJS-WASM in-process', ...(installed ? [TANSTACK] : [])];
    expect(results.peers.systems).to.deep.equal(systems);
    expect(results.peers.notInstalled).to.deep.equal(installed ? {} : { [TANSTACK]: 'make install-bench-peers' });
    expect(results.peers.rows.map((row: any) => row.workload)).to.deep.equal(PEER_ROWS);
    for (const row of results.peers.rows) {
      for (const system of systems) {
        const cell = row.bySystem[system];
        // Memory growth over a handful of sessions can be 0 or below: only the shape is checked.
        expect(Number.isFinite(cell.value) && cell.n >= 1, `${row.workload} on ${system}`).to.equal(true);
      }
    }
  });
});

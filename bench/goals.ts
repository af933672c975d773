/**
 * The goals, each checked against figures of the same run. Latency goals compare p50s.
 * `ratio` is actual / bound for an upper bound and bound / actual for a lower bound, so a ratio
 * of at most 1 always means the goal is met. It is taken on the figures pooled over every round;
 * `roundRatio`, the median of the ratios within each round, shows whether a slow spell in some
 * rounds moved it. `hopFloorRatio` is the same ratio for a host that costs nothing beyond its
 * floors and the hop to its sandbox process: above 1, no host that keeps cells out of its own
 * process can meet the goal on this run's floors.
 */
import type { Timing, Value } from './stats.js';
import { median, round } from './stats.js';

export type Metrics = Record<string, Timing | Value>;

export interface GoalResult {
  metric: string;
  goal: string;
  actual: number;
  bound: number;
  unit: string;
  ratio: number;
  /** Null for a goal with no floor, whose figure is not sampled in rounds. */
  roundRatio: number | null;
  /** Null for a goal whose floors already include the hop, or that has no floor. */
  hopFloorRatio: number | null;
  met: boolean;
}

interface Goal {
  metric: string;
  goal: string;
  kind: 'atMost' | 'atLeast';
  bound(m: Metrics): number;
  /** The goal's floors plus the hop to the sandbox process, for a goal whose floors leave it out. */
  hopFloor?(m: Metrics): number;
}

/** The figure a goal compares: a timing's p50, or a value. */
export function figure(m: Metrics, name: string): number {
  const metric = m[name];
  if (metric === undefined) throw new Error(`metric ${name} was not measured`);
  return 'p50' in metric ? metric.p50 : metric.value;
}

/** Issue 13's goals are relative to floors of the same run, so a loaded machine moves both sides. */
const GOALS: Goal[] = [
  {
    metric: 'execute_rtt',
    goal: '≤ 1.5 × (echo_rtt + isolate_cell_inproc)',
    kind: 'atMost',
    bound: (m) => 1.5 * (figure(m, 'echo_rtt') + figure(m, 'isolate_cell_inproc')),
  },
  {
    metric: 'tool_call_rtt',
    goal: '≤ 1.3 × (echo_rtt + isolate_callback_inproc)',
    kind: 'atMost',
    bound: (m) => 1.3 * (figure(m, 'echo_rtt') + figure(m, 'isolate_callback_inproc')),
    hopFloor: (m) => figure(m, 'echo_rtt') + figure(m, 'sandbox_echo') + figure(m, 'isolate_callback_inproc'),
  },
  {
    metric: 'tool_call_parallel',
    goal: '≤ 1.5 × (echo_parallel + isolate_callback_parallel_inproc)',
    kind: 'atMost',
    bound: (m) => 1.5 * (figure(m, 'echo_parallel') + figure(m, 'isolate_callback_parallel_inproc')),
    hopFloor: (m) => figure(m, 'echo_parallel') + figure(m, 'sandbox_echo_parallel') + figure(m, 'isolate_callback_parallel_inproc'),
  },
  // The same two goals against floors that include the hop to the sandbox process, which every
  // call has crossed since cells left the host (issue 10): what the design itself cannot beat.
  {
    metric: 'tool_call_rtt',
    goal: '≤ 1.3 × (echo_rtt + sandbox_echo + isolate_callback_inproc)',
    kind: 'atMost',
    bound: (m) => 1.3 * (figure(m, 'echo_rtt') + figure(m, 'sandbox_echo') + figure(m, 'isolate_callback_inproc')),
  },
  {
    metric: 'tool_call_parallel',
    goal: '≤ 1.5 × (echo_parallel + sandbox_echo_parallel + isolate_callback_parallel_inproc)',
    kind: 'atMost',
    bound: (m) => 1.5 * (figure(m, 'echo_parallel') + figure(m, 'sandbox_echo_parallel') + figure(m, 'isolate_callback_parallel_inproc')),
  },
  { metric: 'host_start', goal: '≤ 1.5 × node_start', kind: 'atMost', bound: (m) => 1.5 * figure(m, 'node_start') },
  { metric: 'respawn', goal: '≤ 500 ms', kind: 'atMost', bound: () => 500 },
  { metric: 'terminate_cpu', goal: '≤ 50 ms', kind: 'atMost', bound: () => 50 },
  { metric: 'idle_session_rss_kb', goal: '≤ 64 KiB', kind: 'atMost', bound: () => 64 },
  { metric: 'payload_16mb_mbps', goal: '≥ 0.8 × pipe_payload_16mb_mbps', kind: 'atLeast', bound: (m) => 0.8 * figure(m, 'pipe_payload_16mb_mbps') },
];

function ratioOf(goal: Goal, bound: number, actual: number): number {
  return goal.kind === 'atMost' ? actual / bound : bound / actual;
}

/** `groups`: each group of figures sampled together in rounds, as its figures within each round. */
export function checkGoals(m: Metrics, groups: readonly Metrics[][]): GoalResult[] {
  return GOALS.map((goal) => {
    const actual = figure(m, goal.metric);
    const bound = round(goal.bound(m));
    const ratio = round(ratioOf(goal, bound, actual));
    const rounds = groups.find((group) => goal.metric in group[0]!);
    const roundRatio = rounds === undefined ? null : round(median(rounds.map((r) => ratioOf(goal, goal.bound(r), figure(r, goal.metric)))));
    const hopFloorRatio = goal.hopFloor === undefined ? null : round(ratioOf(goal, bound, goal.hopFloor(m)));
    return { metric: goal.metric, goal: goal.goal, actual, bound, unit: m[goal.metric]!.unit, ratio, roundRatio, hopFloorRatio, met: ratio <= 1 };
  });
}

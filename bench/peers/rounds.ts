/**
 * The peers table: every workload on every system, in interleaved rounds. Each system runs in a
 * process of its own (systemProcess.ts), which times the workloads. A round runs each workload on
 * each system in turn (the systems' order rotating from round to round), so a slow spell of the
 * shared machine lands on all of them alike; each cell of the table is the median over every
 * round's samples, and its ratio is against ours in the same run. A system whose bench-only
 * install is missing is left out and named, with the command that installs it.
 */
import { median, round } from '../stats.js';
import { memory, startupMs } from './probes.js';
import { ForkedSystem } from './forkedSystem.js';
import { notInstalled, SYSTEM_NAMES } from './systems.js';
import { WORKLOADS } from './workloads.js';

export interface PeerMode {
  rounds: number;
  /** Whether the first round runs each workload sampled more than once per round once, untimed, on each system first. */
  warmup: boolean;
  /** Timed runs per round of each workload, by workload name; at least 1. */
  samples: Readonly<Record<string, number>>;
  /** Idle sessions and running cells of the memory probe. */
  memorySessions: number;
  memoryCells: number;
}

export interface PeerRow {
  workload: string;
  what: string;
  unit: 'ms' | 'KiB';
  /** The median by system, and its ratio to ours (above 1: the peer costs more; null when ours is not above 0). */
  bySystem: Record<string, { value: number; ratio: number | null; n: number }>;
}

export interface PeerTable {
  /** The systems measured; ours first. */
  systems: string[];
  /** The systems left out for want of their bench-only install, with the command that installs each. */
  notInstalled: Record<string, string>;
  rows: PeerRow[];
}

const rotate = <T>(items: readonly T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]!);

export async function peerTable(mode: PeerMode, progress: (line: string) => void): Promise<PeerTable> {
  const samples = new Map<string, number[]>();
  const add = (workload: string, system: string, value: number) => {
    const key = `${workload}\n${system}`;
    samples.set(key, [...(samples.get(key) ?? []), value]);
  };
  const missing = notInstalled();
  const names = SYSTEM_NAMES.filter((name) => !(name in missing));
  const systems: ForkedSystem[] = [];
  try {
    for (const name of names) systems.push(await ForkedSystem.start(name));
    for (let r = 0; r < mode.rounds; r++) {
      progress(`peers: round ${r + 1} of ${mode.rounds}`);
      for (const workload of WORKLOADS) {
        const runs = mode.samples[workload.name] ?? 1;
        for (const system of rotate(systems, r)) {
          // The first round warms each workload up once on each system, untimed; a workload
          // sampled once per round is long enough to warm itself, and its median is over rounds.
          const warmup = r === 0 && mode.warmup && runs > 1;
          for (const ms of await system.sample({ workload: workload.name, runs, warmup })) add(workload.name, system.name, ms);
        }
      }
      for (const name of rotate(names, r)) add('startup', name, await startupMs(name));
    }
  } finally {
    for (const system of systems) await system.stop();
  }
  for (const name of names) {
    progress(`peers: memory of ${name}`);
    const { idleSessionKiB, runningCellKiB } = await memory(name, mode.memorySessions, mode.memoryCells);
    add('idle_session_memory', name, idleSessionKiB);
    add('running_cell_memory', name, runningCellKiB);
  }
  const rows: Array<Omit<PeerRow, 'bySystem'>> = [
    ...WORKLOADS.map((w) => ({ workload: w.name, what: w.what, unit: 'ms' as const })),
    { workload: 'startup', what: 'a fresh process: loading the system to its first cell result', unit: 'ms' },
    { workload: 'idle_session_memory', what: `RSS growth per open idle session (${mode.memorySessions} opened)`, unit: 'KiB' },
    { workload: 'running_cell_memory', what: `RSS growth per cell awaiting a tool call (${mode.memoryCells} running)`, unit: 'KiB' },
  ];
  return {
    systems: names,
    notInstalled: missing,
    rows: rows.map((row) => {
      const ours = median(samples.get(`${row.workload}\n${names[0]}`)!);
      const bySystem = Object.fromEntries(
        names.map((name) => {
          const values = samples.get(`${row.workload}\n${name}`)!;
          const value = median(values);
          return [name, { value: round(value), ratio: ours > 0 ? round(value / ours) : null, n: values.length }];
        }),
      );
      return { ...row, bySystem };
    }),
  };
}

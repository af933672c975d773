/**
 * How many samples each measurement takes. `full` is what results.json is committed from;
 * `quick` (BENCH_QUICK=1) must finish under a minute; `smoke` (BENCH_SMOKE=1) only proves the
 * harness still runs end to end, in a few seconds, with figures too noisy to mean anything.
 */
import type { PeerMode } from './peers/rounds.js';

export type ModeName = 'full' | 'quick' | 'smoke';

export interface Mode {
  name: ModeName;
  /**
   * Interleaved rounds of the figures the goals compare (goalRounds.ts): each member's samples
   * below are split evenly between them, so each needs at least one per round.
   */
  rounds: number;
  echo: number;
  isolateCell: number;
  isolateCallback: number;
  execute: number;
  /** Cells of 200 sequential tool calls (each call is a sample). */
  toolCallCells: number;
  /** Cells of 2000 parallel tool calls (each cell is a sample). */
  parallelCells: number;
  sessionOpen: number;
  hostStart: number;
  respawn: number;
  terminate: number;
  payload: number;
  idleSessions: number;
  concurrentRounds: number;
  /** The cells_concurrent load: this many cells, each awaiting this many tool calls in sequence. */
  concurrentCells: number;
  concurrentCalls: number;
  /** Executes per point of the sessions and cells curves. */
  curveSamples: number;
  sessionsCurve: number[];
  cellsCurve: number[];
  payloadCurve: number[];
  payloadCurveSamples: number;
  /** The peers table: rounds, samples per workload and round, memory probe sizes. */
  peers: PeerMode;
}

const KiB = 1024;
const MiB = 1024 * KiB;

const FULL: Mode = {
  name: 'full',
  rounds: 5,
  echo: 3000,
  isolateCell: 400,
  isolateCallback: 10,
  execute: 1000,
  toolCallCells: 10,
  parallelCells: 30,
  sessionOpen: 500,
  hostStart: 20,
  respawn: 15,
  terminate: 40,
  payload: 10,
  idleSessions: 1000,
  concurrentRounds: 5,
  concurrentCells: 128,
  concurrentCalls: 100,
  curveSamples: 300,
  sessionsCurve: [1, 3, 10, 30, 100, 300, 1000],
  cellsCurve: [1, 2, 4, 8, 16, 32, 64, 128],
  payloadCurve: [KiB, 4 * KiB, 16 * KiB, 64 * KiB, 256 * KiB, MiB, 4 * MiB, 16 * MiB, 32 * MiB],
  payloadCurveSamples: 8,
  peers: {
    rounds: 5,
    warmup: true,
    samples: { trivial_cell: 40, one_tool_call: 40, parallel_1000: 3, payload_16mib: 2, sessions_100x10: 1 },
    memorySessions: 200,
    memoryCells: 20,
  },
};

const QUICK: Mode = {
  ...FULL,
  name: 'quick',
  rounds: 3,
  echo: 1000,
  isolateCell: 100,
  isolateCallback: 3,
  execute: 200,
  toolCallCells: 3,
  parallelCells: 8,
  sessionOpen: 100,
  hostStart: 6,
  respawn: 4,
  terminate: 10,
  payload: 4,
  concurrentRounds: 2,
  curveSamples: 60,
  sessionsCurve: [1, 10, 100, 1000],
  cellsCurve: [1, 4, 16, 64, 128],
  payloadCurve: [KiB, 16 * KiB, 256 * KiB, 4 * MiB, 32 * MiB],
  payloadCurveSamples: 3,
  peers: {
    rounds: 2,
    warmup: true,
    samples: { trivial_cell: 20, one_tool_call: 20, parallel_1000: 1, payload_16mib: 1, sessions_100x10: 1 },
    memorySessions: 100,
    memoryCells: 10,
  },
};

const SMOKE: Mode = {
  ...QUICK,
  name: 'smoke',
  // Two rounds, so that the interleaving itself is exercised.
  rounds: 2,
  echo: 20,
  isolateCell: 5,
  isolateCallback: 2,
  execute: 10,
  toolCallCells: 2,
  parallelCells: 2,
  sessionOpen: 5,
  hostStart: 2,
  respawn: 1,
  terminate: 1,
  payload: 2,
  idleSessions: 20,
  concurrentRounds: 1,
  concurrentCells: 16,
  concurrentCalls: 10,
  curveSamples: 5,
  sessionsCurve: [1, 5],
  cellsCurve: [1, 4],
  payloadCurve: [KiB, MiB],
  payloadCurveSamples: 1,
  peers: { rounds: 1, warmup: false, samples: {}, memorySessions: 5, memoryCells: 2 },
};

export function modeFromEnv(env: NodeJS.ProcessEnv): Mode {
  if (env.BENCH_SMOKE === '1') return SMOKE;
  if (env.BENCH_QUICK === '1') return QUICK;
  return FULL;
}

/**
 * The figures the goals compare, each group with the floors that bound it, sampled in interleaved
 * rounds (rounds.ts): the floors swing by a third from run to run on this machine, so a floor taken
 * minutes before its figure made goals pass or fail by luck. Groups run one after another; a group's
 * round takes seconds. echo_rtt bounds both execute_rtt and tool_call_rtt, so half its samples are
 * taken beside each and its figure pools both halves.
 */
import type { CodeModeClient } from '../client/index.js';
import { echoParallel } from './floors/echoParallel.js';
import { echoRtt } from './floors/echoRtt.js';
import { isolateCallbackInproc, isolateCallbackParallelInproc } from './floors/isolateCallback.js';
import { isolateCellInproc } from './floors/isolateCell.js';
import { nodeStart } from './floors/nodeStart.js';
import { pipePayload16MiB } from './floors/pipePayload.js';
import { sandboxEcho, sandboxEchoParallel } from './floors/sandboxEcho.js';
import type { Metrics } from './goals.js';
import { executeRtt } from './metrics/execute.js';
import { firstCell } from './metrics/firstCell.js';
import { hostStart } from './metrics/hostStart.js';
import { payload16MiB } from './metrics/payload.js';
import { toolCallParallel, toolCallRtt, type Arrivals } from './metrics/toolCalls.js';
import type { Mode } from './mode.js';
import { interleave, type Member } from './rounds.js';

export interface GoalFigures {
  /** Every member's figure over all its samples. */
  metrics: Metrics;
  /** For each group, its members' figures within each round. */
  rounds: Metrics[][];
}

/**
 * `client` is the long-lived host's (started on first use, so the start group, which runs first,
 * has no host idling beside it); `arrivals` is where it reports tool calls.
 */
export async function goalFigures(mode: Mode, client: CodeModeClient, arrivals: Arrivals, progress: (line: string) => void): Promise<GoalFigures> {
  const echoHalf = Math.ceil(mode.echo / 2);
  const groups: Record<string, Member[]> = {
    start: [nodeStart(mode.hostStart), hostStart(mode.hostStart), firstCell(mode.hostStart)],
    execute: [echoRtt(echoHalf), isolateCellInproc(mode.isolateCell), executeRtt(client, mode.execute)],
    'tool call': [echoRtt(mode.echo - echoHalf), isolateCallbackInproc(mode.isolateCallback), sandboxEcho(mode.echo), toolCallRtt(client, arrivals, mode.toolCallCells)],
    parallel: [echoParallel(mode.parallelCells), isolateCallbackParallelInproc(mode.parallelCells), sandboxEchoParallel(mode.parallelCells), toolCallParallel(client, mode.parallelCells)],
    payload: [pipePayload16MiB(mode.payload), payload16MiB(client, mode.payload)],
  };
  const pooled = new Map<string, { member: Member; samples: number[] }>();
  const rounds: Metrics[][] = [];
  for (const [group, members] of Object.entries(groups)) {
    const samples = await interleave(members, mode.rounds, (r) => progress(`${group}: round ${r + 1} of ${mode.rounds}`));
    rounds.push(Array.from({ length: mode.rounds }, (_, r) => Object.fromEntries(members.map((m) => [m.name, m.summarize(samples[m.name]![r]!)]))));
    for (const member of members) {
      const all = pooled.get(member.name) ?? { member, samples: [] };
      all.samples.push(...samples[member.name]!.flat());
      pooled.set(member.name, all);
    }
  }
  return { metrics: Object.fromEntries([...pooled].map(([name, { member, samples }]) => [name, member.summarize(samples)])), rounds };
}

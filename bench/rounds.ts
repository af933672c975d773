/**
 * Interleaved rounds: figures that are compared with each other are sampled together, so that a
 * slow spell of the shared machine lands on all of them alike rather than on whichever happened
 * to run then. Every member is opened and warmed up once; each round then takes its share of
 * every member's samples, the members' order rotating from round to round (as the peers table
 * does, peers/rounds.ts). Whatever a member opened is closed on every path.
 *
 * A member with a warm-up also starts each of its turns with one unmeasured unit. Its processes
 * sat idle while the others ran, and on this VM a process woken from 100 ms of idleness runs a
 * ping-pong of round trips about half as fast again for tens of milliseconds: a 200-call cell's
 * p50 gap went from 206 to 310 µs after such a pause, 224–244 µs with one cell before it. Those
 * figures are per-call costs in a loop, so each member is measured as a loop finds it.
 */
import type { Timing, Value } from './stats.js';

/** A member once opened: its child process, isolate or session stays up across the rounds. */
export interface Sampler {
  /** One unit of work, timed: one sample, or several (a cell of sequential calls gives one per call). */
  once(): Promise<number | number[]>;
  close(): Promise<void>;
}

export interface Member<F extends Timing | Value = Timing | Value> {
  /** The metric's name in results.json. */
  name: string;
  /** Units over all rounds together, split evenly between them. */
  units: number;
  /** Units run unmeasured after opening, before the first round; with any, one more starts each turn. */
  warmup: number;
  open(): Promise<Sampler>;
  /** The figure of a set of samples: the whole run's, or one round's. */
  summarize(samples: readonly number[]): F;
}

/** The opening of a member each of whose units makes and releases what it needs: nothing stays open. */
export function selfContained(once: Sampler['once']): () => Promise<Sampler> {
  return async () => ({ once, close: async () => {} });
}

/** Each member's samples by name, then by round. */
export type RoundSamples = Record<string, number[][]>;

const rotate = <T>(items: readonly T[], by: number): T[] => items.map((_, i) => items[(i + by) % items.length]!);

async function take(sampler: Sampler, units: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < units; i++) {
    const taken = await sampler.once();
    if (typeof taken === 'number') samples.push(taken);
    else samples.push(...taken);
  }
  return samples;
}

async function closeAll(samplers: readonly Sampler[]): Promise<void> {
  const failed = (await Promise.allSettled(samplers.map((s) => s.close()))).find((r) => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
}

export async function interleave(members: readonly Member[], rounds: number, progress: (round: number) => void = () => {}): Promise<RoundSamples> {
  // A round without a member's samples would have nothing to compare that member with.
  const short = members.find((m) => m.units < rounds);
  if (short !== undefined) throw new Error(`${short.name}: ${short.units} units cannot be split into ${rounds} rounds`);
  const samples: RoundSamples = Object.fromEntries(members.map((m) => [m.name, []]));
  const opened: Array<{ member: Member; sampler: Sampler }> = [];
  try {
    for (const member of members) opened.push({ member, sampler: await member.open() });
    for (const { member, sampler } of opened) await take(sampler, member.warmup);
    for (let r = 0; r < rounds; r++) {
      progress(r);
      for (const { member, sampler } of rotate(opened, r)) {
        const share = Math.floor(member.units / rounds) + (r < member.units % rounds ? 1 : 0);
        if (member.warmup > 0) await take(sampler, 1);
        samples[member.name]![r] = await take(sampler, share);
      }
    }
  } finally {
    await closeAll(opened.map((o) => o.sampler));
  }
  return samples;
}

/**
 * Interleaved rounds: figures that are compared with each other are sampled together, so that a
 * slow spell of the shared machine lands on all of them alike rather than on whichever happened
 * to run then. Every member is opened and warmed up once; each round then takes its share of
 * every member's samples, the members' order rotating from round to round (as the peers table
 * does, peers/rounds.ts). Whatever a member opened is closed on every path.
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
  /** Units run unmeasured after opening, before the first round. */
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
        samples[member.name]![r] = await take(sampler, share);
      }
    }
  } finally {
    await closeAll(opened.map((o) => o.sampler));
  }
  return samples;
}

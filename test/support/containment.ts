/**
 * The containment scenario for hostile cells (issue: supervised sandbox processes): an offending
 * session with a committed store value, and a neighbour session whose cell is running, held on a
 * tool call that the client answers only once the offender's cell has ended.
 */
import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import type { Message, RawHost } from './rawHost.js';
import { execute, openSession, texts, type CellResponse } from './cells.js';
import { childPids } from './processes.js';

/** Pids of the host's child processes (its sandbox processes), lowest first. */
export function sandboxPids(host: RawHost): number[] {
  return childPids(host.child.pid!);
}

/** Resident set size of a process, in bytes (Linux). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match === null ? 0 : Number(match[1]) * 1024;
}

export interface Contained {
  /** The offender's cell's response. */
  offender: CellResponse;
  /** The neighbour's response, after the offender's ended. */
  neighbour: CellResponse;
}

/**
 * Runs `source` in session `offender` (opened with `limits`) beside a neighbour's running cell,
 * then checks the guarantees every hostile cell must leave intact: the host process is the same
 * and serving, the neighbour completes normally, the offender's committed store is intact and its
 * session runs a next cell. Returns both responses for the case's own checks.
 */
/** Below the containment tests' own 60 s timeout, so a hang reports the host's stderr. */
const OFFENDER_WAIT_MS = 50_000;

export async function containedRun(host: RawHost, limits: Record<string, unknown>, params: Record<string, unknown>): Promise<Contained> {
  const pid = host.child.pid;
  await openSession(host, 'offender', limits);
  await openSession(host, 'neighbour');
  expect(await execute(host, { sessionId: 'offender', source: 'store("kept", { v: 1 })' })).to.deep.include({ status: 'completed', error: null });

  let release!: () => void;
  const offenderEnded = new Promise<void>((resolve) => (release = resolve));
  const previous = host.delegate;
  host.delegate = async (message: Message) => {
    const params = message.params as { sessionId: string; tool?: { name: string }; input?: unknown };
    if (params.sessionId === 'neighbour' && params.tool?.name === 'gate') {
      await offenderEnded;
      return { result: 'open' };
    }
    return previous === undefined ? { result: params.input ?? null } : previous(message);
  };
  const gateCalled = host.waitFor((m) => !Array.isArray(m) && m.method === 'delegate/invokeTool' && (m.params as any).sessionId === 'neighbour', 'the neighbour tool call');
  const neighbour = execute(host, { sessionId: 'neighbour', source: 'const v = await tools.gate(); text("neighbour " + v)', tools: [{ name: 'gate' }] });
  await gateCalled;

  // The offender's work (a 40 MB source, a flood) is what a loaded machine stretches: this wait only catches a hang.
  const offender = await execute(host, { sessionId: 'offender', ...params }, OFFENDER_WAIT_MS);
  release();
  const neighbourResponse = await neighbour;
  expect(neighbourResponse).to.deep.include({ status: 'completed', error: null });
  expect(texts(neighbourResponse)).to.deep.equal(['neighbour open']);
  expect(host.child.pid).to.equal(pid);
  expect(host.child.exitCode).to.equal(null);
  const next = await execute(host, { sessionId: 'offender', source: 'text(JSON.stringify(load("kept")))' });
  expect(next).to.deep.include({ status: 'completed', error: null });
  expect(texts(next)).to.deep.equal(['{"v":1}']);
  return { offender, neighbour: neighbourResponse };
}

/**
 * Runs in a child process of the bench, one system per process: `systemProcess.js <system>` starts
 * the system, then times workloads when the bench asks over IPC, here, so that no IPC is in the
 * figures. A process of its own per system is not only tidier: two builds of isolated-vm (ours and
 * the TanStack driver's 6.x) abort when loaded into one process.
 */
import { SYSTEMS } from './systems.js';
import { WORKLOADS } from './workloads.js';

export interface SampleRequest {
  workload: string;
  runs: number;
  /** Runs the workload once, untimed, on the same session first. */
  warmup: boolean;
}

export type SystemReply = { kind: 'ready' } | { kind: 'samples'; ms: number[] } | { kind: 'failed'; message: string };

const name = process.argv[2] ?? '';
const load = SYSTEMS[name];
if (load === undefined || process.send === undefined) throw new Error(`usage: forked, systemProcess.js <${Object.keys(SYSTEMS).join('|')}>`);
const send = (reply: SystemReply) => process.connected && process.send!(reply);
const failed = (error: unknown): SystemReply => ({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) });

const system = await load();
// The bench disconnects to stop this system, or by exiting, however it ends.
process.on('disconnect', () => {
  system.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${name}: stop failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});
try {
  await system.start();
} catch (error) {
  send(failed(error));
  // What did start (ours: a host process) ends with the system; the start's error is the one reported.
  await system.stop().catch(() => undefined);
  process.exit(1);
}

async function sample({ workload: workloadName, runs, warmup }: SampleRequest): Promise<number[]> {
  const workload = WORKLOADS.find((w) => w.name === workloadName);
  if (workload === undefined) throw new Error(`no workload ${workloadName}`);
  const session = await system.openSession();
  try {
    if (warmup) await workload.once(system, session);
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await workload.once(system, session);
      ms.push(performance.now() - started);
    }
    return ms;
  } finally {
    await session.close();
  }
}

process.on('message', (request: SampleRequest) => {
  sample(request).then((ms) => send({ kind: 'samples', ms }), (error: unknown) => send(failed(error)));
});
send({ kind: 'ready' });

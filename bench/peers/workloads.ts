/**
 * The workloads measured on every system, in interleaved rounds. Each is a cell body (see
 * system.ts); `sessions` workloads open their own sessions.
 */
import type { SystemSession, PeerSystem } from './system.js';

const MiB = 1024 * 1024;

export interface Workload {
  readonly name: string;
  readonly what: string;
  /** One timed run, on `session` (opened once per system and round) or on sessions of its own. */
  once(system: PeerSystem, session: SystemSession): Promise<void>;
}

async function expectRun(session: SystemSession, body: string, expected: string): Promise<void> {
  const got = await session.run(body);
  if (got !== expected) throw new Error(`cell returned ${JSON.stringify(got.slice(0, 80))}, expected ${expected}`);
}

export const PARALLEL = 1000;
const PAYLOAD_BYTES = 16 * MiB;
const SESSIONS = 100;
const CALLS_PER_SESSION = 10;

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'trivial_cell',
    what: 'a cell that returns 1',
    once: (_, session) => expectRun(session, 'return 1;', '1'),
  },
  {
    name: 'one_tool_call',
    what: 'a cell that awaits one tool call',
    once: (_, session) => expectRun(session, 'return (await tools.echo({ n: 1 })).n;', '1'),
  },
  {
    name: 'parallel_1000',
    what: `a cell that awaits ${PARALLEL} tool calls with Promise.all`,
    once: (_, session) =>
      expectRun(
        session,
        `const all = await Promise.all(Array.from({ length: ${PARALLEL} }, (_, i) => tools.echo({ i }))); return all.length;`,
        String(PARALLEL),
      ),
  },
  {
    name: 'payload_16mib',
    what: 'a cell that reads the length of a 16 MiB string tool result',
    once: (_, session) => expectRun(session, `return (await tools.blob({ bytes: ${PAYLOAD_BYTES} })).length;`, String(PAYLOAD_BYTES)),
  },
  {
    name: 'sessions_100x10',
    what: `${SESSIONS} sessions opened at once, each running a cell of ${CALLS_PER_SESSION} sequential tool calls, then closed`,
    once: async (system) => {
      const body = `let n = 0; for (let i = 0; i < ${CALLS_PER_SESSION}; i++) n += (await tools.echo({ i })).i; return n;`;
      await Promise.all(
        Array.from({ length: SESSIONS }, async () => {
          const session = await system.openSession();
          try {
            await expectRun(session, body, '45');
          } finally {
            await session.close();
          }
        }),
      );
    },
  },
];

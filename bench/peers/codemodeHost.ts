/** Ours: the real host in its own process, through the package's CodeModeClient. */
import { CodeModeClient, type CodeModeSession } from '../../client/index.js';
import { PARALLEL } from './workloads.js';
import { answerTool, NEVER_TOOL, type PeerSystem, type SystemSession } from './system.js';

const TOOLS = [{ name: 'echo' }, { name: 'blob' }, { name: NEVER_TOOL }];
/** Settles only when the call is aborted (its cell closed): a session's close waits for its delegate calls. */
const untilAborted = (signal: AbortSignal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));

export class CodemodeHostSystem implements PeerSystem {
  readonly name = 'codemode-host';
  private client: CodeModeClient | undefined;

  async start(): Promise<void> {
    this.client = new CodeModeClient({
      delegate: { invokeTool: (call, signal) => answerTool(call.tool.name, call.input, () => untilAborted(signal)) },
      hostLimits: { maxSessions: 10_000, maxActiveCells: 10_000, maxPendingDelegateCalls: 100_000, maxInFlightRequests: 100_000 },
    });
    const session = await this.openSession();
    await session.run('return 1;');
    await session.close();
  }

  /** The host's process id, for the memory probe. */
  get hostPid(): number | undefined {
    return this.client?.hostPid;
  }

  async openSession(): Promise<SystemSession> {
    if (this.client === undefined) throw new Error('start() first');
    const session = await this.client.openSession({ limits: { maxPendingToolCalls: PARALLEL } });
    return {
      run: (body) => run(session, body),
      startRunning: async () => {
        const response = await session.execute({ source: `await tools.${NEVER_TOOL}();`, tools: TOOLS, yieldTimeMs: 0 });
        if (response.status !== 'yielded') throw new Error(`expected a running cell: ${JSON.stringify(response)}`);
      },
      close: () => session.close(),
    };
  }

  async stop(): Promise<void> {
    await this.client?.close();
  }
}

async function run(session: CodeModeSession, body: string): Promise<string> {
  const response = await session.execute({ source: `text(String(await (async () => { ${body} })()));`, tools: TOOLS, yieldTimeMs: 600_000 });
  const first = response.items[0];
  if (response.status !== 'completed' || response.error !== null || first?.type !== 'text') {
    throw new Error(`cell failed: ${JSON.stringify(response).slice(0, 300)}`);
  }
  return first.text;
}

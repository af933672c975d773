/**
 * In-process isolated-vm, as a user embedding it directly would write it: a fresh isolate and
 * context per cell (as our host does), tools as one async host function the cell calls through an
 * ivm.Reference, values copied across. No process boundary, no protocol, no limits but the heap.
 */
// eslint-disable-next-line no-restricted-imports -- this peer is isolated-vm itself, embedded without the host
import ivm from 'isolated-vm';
import { answerTool, NEVER_TOOL, NeverCall, type PeerSystem, type SystemSession } from './system.js';

const PRELUDE = `const tools = new Proxy({}, { get: (_, name) => (input) => $call.apply(undefined, [name, input], { arguments: { copy: true }, result: { promise: true, copy: true } }) });`;

export class IsolatedVmSystem implements PeerSystem {
  readonly name = 'isolated-vm in-process';

  async start(): Promise<void> {
    const session = await this.openSession();
    await session.run('return 1;');
    await session.close();
  }

  async openSession(): Promise<SystemSession> {
    const isolates = new Set<ivm.Isolate>();
    let release: () => void = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    const never = new NeverCall();
    const tool = (name: string, input: unknown) => {
      if (name === NEVER_TOOL) never.called();
      return answerTool(name, input, () => pending);
    };
    const cell = async (body: string): Promise<string> => {
      const isolate = new ivm.Isolate({ memoryLimit: 256 });
      isolates.add(isolate);
      try {
        const context = await isolate.createContext();
        await context.global.set('$call', new ivm.Reference(tool));
        const value: unknown = await context.eval(`${PRELUDE} (async () => String(await (async () => { ${body} })()))()`, {
          promise: true,
          copy: true,
        });
        return value as string;
      } finally {
        isolates.delete(isolate);
        if (!isolate.isDisposed) isolate.dispose();
      }
    };
    return {
      run: cell,
      startRunning: () => never.startRunning(cell),
      close: async () => {
        for (const isolate of isolates) isolate.dispose();
        release();
      },
    };
  }

  async stop(): Promise<void> {}
}

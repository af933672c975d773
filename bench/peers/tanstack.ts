/**
 * TanStack AI's code mode (`@tanstack/ai-code-mode`) on its isolated-vm driver
 * (`@tanstack/ai-isolate-node`), as its users wire it: tools defined with `toolDefinition`, one
 * `execute_typescript` tool from `createCodeModeTool`, called as a chat loop calls it. Every
 * execute strips TypeScript (sucrase), creates a fresh isolate and context with each tool bound as
 * an `external_*` global that JSON-encodes its input and result, runs, and disposes the context.
 * In this process, with the driver's defaults (128 MB heap, 30 s timeout).
 */
import { answerTool, NEVER_TOOL, NeverCall, type PeerSystem, type SystemSession } from './system.js';
import { loadTanStack, TANSTACK, type IsolateContext, type IsolateDriver, type TanStackApi } from './tanstackPackage.js';

const TOOL_NAMES = ['echo', 'blob', NEVER_TOOL];
/** The workloads call `tools.x`; code mode binds each tool as the global `external_x`. */
const PRELUDE = `const tools = { ${TOOL_NAMES.map((name) => `${name}: external_${name}`).join(', ')} };`;
/** A plain JSON Schema: ai-code-mode validates only Standard Schemas (zod), and the other systems validate nothing. */
const ANY_INPUT = { type: 'object' };

export class TanStackSystem implements PeerSystem {
  readonly name = TANSTACK;
  private api: TanStackApi | undefined;
  private driver: IsolateDriver | undefined;

  async start(): Promise<void> {
    this.api = await loadTanStack();
    // Probes isolated-vm in a child process once, as every user's driver does.
    this.driver = this.api.createNodeIsolateDriver();
    const session = await this.openSession();
    await session.run('return 1;');
    await session.close();
  }

  async openSession(): Promise<SystemSession> {
    const { api, driver } = this;
    if (api === undefined || driver === undefined) throw new Error('start() first');
    let release: () => void = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    const never = new NeverCall();
    // The driver is the caller's to supply; this one also keeps each live context, for close.
    const contexts = new Set<IsolateContext>();
    const tracking: IsolateDriver = {
      createContext: async (config) => {
        const context = await driver.createContext(config);
        contexts.add(context);
        return {
          execute: (code) => context.execute(code),
          dispose: () => {
            contexts.delete(context);
            return context.dispose();
          },
        };
      },
    };
    const tools = TOOL_NAMES.map((name) =>
      api.toolDefinition({ name, description: name, inputSchema: ANY_INPUT }).server(async (input) => {
        if (name === NEVER_TOOL) never.called();
        return answerTool(name, input, () => pending);
      }),
    );
    const codeMode = api.createCodeModeTool({ driver: tracking, tools });
    const cell = async (body: string): Promise<string> => {
      const result = await codeMode.execute({ typescriptCode: `${PRELUDE} return String(await (async () => { ${body} })());` });
      if (!result.success) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
      return result.result as string;
    };
    return {
      run: cell,
      startRunning: () => never.startRunning(cell),
      close: async () => {
        for (const context of contexts) await context.dispose();
        release();
      },
    };
  }

  async stop(): Promise<void> {}
}

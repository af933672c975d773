/**
 * QuickJS compiled to WebAssembly, through @sebastianwessel/quickjs: what a user picks for a
 * sandbox with no native module. Each cell gets its own QuickJS runtime and context (the
 * library's `runSandboxed`), in this process; tools are host functions in `env`, their values
 * marshalled across by the library. No process boundary, and an interpreter instead of a JIT.
 */
import variant from '@jitl/quickjs-ng-wasmfile-release-sync';
import { loadQuickJs } from '@sebastianwessel/quickjs';
import { answerTool, NEVER_TOOL, NeverCall, type PeerSystem, type SystemSession } from './system.js';

type RunSandboxed = Awaited<ReturnType<typeof loadQuickJs>>['runSandboxed'];
/** The variant's ESM entry exports the variant as default; its types only describe the CommonJS one. */
const wasmVariant = variant as unknown as Parameters<typeof loadQuickJs>[0];

export class QuickJsSystem implements PeerSystem {
  readonly name = 'QuickJS-WASM in-process';
  private runSandboxed: RunSandboxed | undefined;

  async start(): Promise<void> {
    this.runSandboxed = (await loadQuickJs(wasmVariant)).runSandboxed;
    const session = await this.openSession();
    await session.run('return 1;');
    await session.close();
  }

  async openSession(): Promise<SystemSession> {
    const runSandboxed = this.runSandboxed;
    if (runSandboxed === undefined) throw new Error('start() first');
    let release: () => void = () => {};
    const pending = new Promise<void>((resolve) => (release = resolve));
    const never = new NeverCall();
    const tool = (name: string) => async (input: unknown) => {
      if (name === NEVER_TOOL) never.called();
      return answerTool(name, input, () => pending);
    };
    const env = { tools: { echo: tool('echo'), blob: tool('blob'), [NEVER_TOOL]: tool(NEVER_TOOL) } };
    const cell = async (body: string): Promise<string> => {
      const source = `const tools = env.tools; export default String(await (async () => { ${body} })());`;
      const result = await runSandboxed(({ evalCode }) => evalCode(source), { env, executionTimeout: 0, memoryLimit: -1 });
      if (!result.ok) throw new Error(`cell failed: ${JSON.stringify(result.error)}`);
      return result.data as string;
    };
    return {
      run: cell,
      startRunning: () => never.startRunning(cell),
      close: async () => release(),
    };
  }

  async stop(): Promise<void> {}
}

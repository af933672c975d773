import { expect } from 'chai';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { CellClosedEvent, CodeModeErrorCode, Delegate, ToolCall } from '../../client/index.js';
import { CodeModeError } from '../../client/index.js';

/** A fake host under test/fixtures/hosts/ (this file runs from dist/test/client/). */
export function fakeHost(name: string, ...args: string[]): string[] {
  const script = fileURLToPath(new URL(`../../../test/fixtures/hosts/${name}.mjs`, import.meta.url));
  return [process.execPath, script, ...args];
}

/** Awaits `work` and checks it rejects with a CodeModeError of `code`; returns the error. */
export async function rejectsWith(work: Promise<unknown>, code: CodeModeErrorCode): Promise<CodeModeError> {
  let outcome: unknown;
  try {
    outcome = await work;
  } catch (error) {
    expect(error, `expected ${code}, got ${String(error)}`).to.be.instanceOf(CodeModeError);
    expect((error as CodeModeError).code, (error as Error).message).to.equal(code);
    return error as CodeModeError;
  }
  throw new Error(`expected ${code}, but the call resolved with ${JSON.stringify(outcome)}`);
}

/** Whether a process with this id still exists (zombies included: they answer signal 0). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/** Asserts every pid is gone (ESRCH). */
export function expectGone(...pids: (number | undefined)[]): void {
  for (const pid of pids) {
    expect(pid, 'a pid to check').to.be.a('number');
    expect(processExists(pid as number), `process ${pid} still exists`).to.equal(false);
  }
}

/** Polls `condition` every 10 ms; fails naming `what` after `timeoutMs`. */
export async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects `pid <n>` lines the fake hosts write to stderr, and every other line. */
export class StderrLog {
  readonly pids: number[] = [];
  readonly lines: string[] = [];
  readonly onStderr = (line: string): void => {
    const match = /^pid (\d+)$/.exec(line);
    if (match) this.pids.push(Number(match[1]));
    this.lines.push(line);
  };
}

/** A delegate that records what it sees; tools are looked up in `tools`. */
export class RecordingDelegate implements Delegate {
  readonly calls: ToolCall[] = [];
  readonly closed: CellClosedEvent[] = [];
  readonly events: string[] = [];

  constructor(private readonly tools: Record<string, (input: unknown, signal: AbortSignal) => unknown> = {}) {}

  async invokeTool(call: ToolCall, signal: AbortSignal): Promise<unknown> {
    this.calls.push(call);
    this.events.push(`tool ${call.cellId} ${call.tool.name}`);
    const tool = this.tools[call.tool.name];
    if (tool === undefined) throw new Error(`no tool ${call.tool.name}`);
    return tool(call.input, signal);
  }

  cellClosed(event: CellClosedEvent): void {
    this.closed.push(event);
    this.events.push(`closed ${event.cellId} ${event.status}`);
  }
}

/** heapUsed after a full garbage collection (gc is exposed at run time, so no node flag is needed). */
export function settledHeapUsed(): number {
  v8.setFlagsFromString('--expose-gc');
  (vm.runInNewContext('gc') as () => void)();
  return process.memoryUsage().heapUsed;
}

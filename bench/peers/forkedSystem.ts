/** The bench's side of a system running in a process of its own (systemProcess.ts). */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SampleRequest, SystemReply } from './systemProcess.js';

const ENTRY = fileURLToPath(new URL('./systemProcess.js', import.meta.url));

export class ForkedSystem {
  private waiting: { resolve: (reply: SystemReply) => void; reject: (error: Error) => void } | undefined;
  private readonly exited: Promise<void>;
  /** Why no reply can come any more, once the process has gone. */
  private gone: Error | undefined;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.on('message', (reply: SystemReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      waiting?.resolve(reply);
    });
    // A failed send (the process gone) is reported here too; its exit follows.
    child.on('error', (error) => this.fail(error));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.fail(new Error(`${name}: its process exited (${signal ?? code})`));
        resolve();
      }),
    );
  }

  /** Forks the system's process and resolves once the system has started there. */
  static async start(name: string): Promise<ForkedSystem> {
    const forked = new ForkedSystem(name, fork(ENTRY, [name], { execArgv: ['--no-node-snapshot'] }));
    try {
      await forked.reply();
      return forked;
    } catch (error) {
      await forked.stop();
      throw error;
    }
  }

  /** Times `runs` runs of a workload on one fresh session, in the system's process. */
  async sample(request: SampleRequest): Promise<number[]> {
    this.child.send(request);
    const reply = await this.reply();
    if (reply.kind !== 'samples') throw new Error(`${this.name}: expected samples, got ${reply.kind}`);
    return reply.ms;
  }

  /** Disconnects, which stops the system and ends its process, and waits for that end. */
  async stop(): Promise<void> {
    if (this.child.connected) this.child.disconnect();
    await this.exited;
  }

  private fail(error: Error): void {
    this.gone ??= error;
    this.waiting?.reject(error);
    this.waiting = undefined;
  }

  private async reply(): Promise<SystemReply> {
    if (this.gone !== undefined) throw this.gone;
    if (this.waiting !== undefined) throw new Error(`${this.name}: one request at a time`);
    const reply = await new Promise<SystemReply>((resolve, reject) => (this.waiting = { resolve, reject }));
    if (reply.kind === 'failed') throw new Error(`${this.name}: ${reply.message}`);
    return reply;
  }
}

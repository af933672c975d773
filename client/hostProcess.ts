import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { HostCommand } from './hostCommand.js';
import { StderrTail } from './stderrTail.js';

/** How the host process ended. */
export type ExitInfo =
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null }
  | { kind: 'spawnFailed'; error: Error };

/** "exited with status 1", "was killed by SIGKILL", "could not be started: ...". */
export function describeExit(info: ExitInfo): string {
  if (info.kind === 'spawnFailed') return `could not be started: ${info.error.message}`;
  if (info.signal !== null) return `was killed by ${info.signal}`;
  return `exited with status ${info.code ?? 'unknown'}`;
}

interface Refable {
  ref(): void;
  unref(): void;
}

/**
 * One host child process: spawned with three pipes in its own process group (so a terminal's
 * Ctrl-C reaches the parent, not the host, and so stopping it also stops anything it started).
 * Node reaps the child itself once it exits; this class makes sure it does exit.
 */
export class HostProcess {
  /** Resolves once the process has exited and its pipes are closed. */
  readonly exited: Promise<ExitInfo>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly stderr: StderrTail;
  private exit: ExitInfo | undefined;

  constructor(command: HostCommand, onStderr: ((line: string) => void) | undefined) {
    this.stderr = new StderrTail(onStderr);
    this.child = spawn(command.file, command.args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true, windowsHide: true });
    this.exited = new Promise<ExitInfo>((resolve) => {
      const settle = (info: ExitInfo) => {
        this.exit ??= info;
        resolve(this.exit);
      };
      // Also emitted when a signal cannot be sent; only a spawn failure ends the process.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) settle({ kind: 'spawnFailed', error });
      });
      // Whatever the leader did, nothing of its group may outlive it; this also lets 'close' fire
      // when a straggler still held the pipes.
      this.child.once('exit', () => this.signalGroup('SIGKILL'));
      this.child.once('close', (code, signal) => settle({ kind: 'exited', code, signal }));
    });
    // Pipe errors (EPIPE after the host died) are reported by the message writer and by 'close'.
    this.child.stdin.on('error', () => undefined);
    this.child.stderr.on('error', () => undefined);
    this.child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk));
    this.child.stderr.once('end', () => this.stderr.end());
  }

  /** The process id while the process runs; undefined after it exited or failed to start. */
  get pid(): number | undefined {
    return this.exit === undefined ? this.child.pid : undefined;
  }

  get stdin(): Writable {
    return this.child.stdin;
  }

  get stdout(): Readable {
    return this.child.stdout;
  }

  /** The last lines the host wrote to stderr, for error messages. */
  stderrText(): string {
    return this.stderr.text();
  }

  /**
   * Whether the child keeps the parent's event loop alive. The connection holds it on while work
   * is in flight; an idle host must not stop a program that forgot `client.close()` from exiting
   * (the host then sees stdin EOF and exits on its own).
   */
  keepAlive(on: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as unknown as Refable[]) {
      if (on) handle.ref();
      else handle.unref();
    }
  }

  /** SIGKILL to the whole group; the end of every loss. */
  kill(): void {
    this.signalGroup('SIGKILL');
  }

  /**
   * Stops the process for good: stdin EOF (the host tears down and exits), then SIGTERM to the
   * group after `graceMs`, then SIGKILL after another `graceMs`. Never hangs on a child that
   * ignores SIGTERM. The caller keeps the child referenced meanwhile: the timers are unref'd.
   */
  async stop(graceMs: number): Promise<ExitInfo> {
    this.child.stdin.end();
    if (await this.exitsWithin(graceMs)) return this.exited;
    this.signalGroup('SIGTERM');
    if (await this.exitsWithin(graceMs)) return this.exited;
    this.signalGroup('SIGKILL');
    return this.exited;
  }

  private async exitsWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const elapsed = new Promise<false>((resolve) => {
      // Unref'd: the child itself keeps the loop alive while it runs.
      timer = setTimeout(() => resolve(false), ms).unref();
    });
    const exited = await Promise.race([this.exited.then(() => true), elapsed]);
    clearTimeout(timer);
    return exited;
  }

  private signalGroup(signal: NodeJS.Signals): void {
    const pid = this.child.pid;
    if (pid === undefined || this.exit !== undefined) return;
    try {
      if (process.platform === 'win32') this.child.kill(signal);
      else process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is already gone.
    }
  }
}

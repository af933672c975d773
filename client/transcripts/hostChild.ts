/**
 * The host process a replay (or a recording) talks to. It owns the child: whoever creates one
 * must call `kill()` or see `closed` settle, on every path.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { buildHostCommand } from '../hostCommand.js';

/** Enough of the host's stderr to explain a failure. */
const STDERR_TAIL_BYTES = 4096;

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** This package's own host, run by the current Node with the flag isolated-vm needs. */
export function defaultHostCommand(): string[] {
  const { file, args } = buildHostCommand(undefined);
  return [file, ...args];
}

export class HostChild {
  private readonly child: ChildProcessWithoutNullStreams;
  private stderr = '';
  /** Settles once the process exited and its stdout and stderr are fully read. */
  readonly closed: Promise<HostExit>;

  /** `stderr`, when given, also receives everything the host writes there (the recorder passes it on). */
  constructor(command: readonly string[], options: { env?: NodeJS.ProcessEnv; stderr?: NodeJS.WritableStream } = {}) {
    const [file, ...args] = command;
    if (file === undefined) throw new TypeError('the host command is empty');
    this.child = spawn(file, args, { stdio: 'pipe', env: options.env ?? process.env });
    this.child.stderr.on('data', (chunk: Buffer) => {
      options.stderr?.write(chunk);
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    // A host that exits early makes writes fail with EPIPE; `closed` reports the exit instead.
    this.child.stdin.on('error', () => {});
    this.closed = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.stderr += `\n${error.message}`;
        resolve({ code: null, signal: null });
      });
      this.child.once('close', (code, signal) => resolve({ code, signal }));
    });
  }

  get stdout(): NodeJS.ReadableStream {
    return this.child.stdout;
  }

  get stderrTail(): string {
    return this.stderr;
  }

  write(bytes: Buffer): void {
    if (this.child.stdin.writable) this.child.stdin.write(bytes);
  }

  endInput(): void {
    this.child.stdin.end();
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

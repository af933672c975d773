/** What a command may touch of the outside world: main.ts supplies the real process's, so commands never reach for globals. */

/** The three standard streams. The same shape `client/transcripts` takes, so commands can share it. */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * Subscribes to Ctrl-C (SIGINT) and returns the unsubscribe. While a listener is subscribed the
 * signal no longer kills the process, so the command decides what an interrupt means.
 */
export type InterruptSource = (listener: () => void) => () => void;

export interface CliContext {
  io: CliIo;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths on the command line resolve against this. */
  cwd: string;
  interrupts: InterruptSource;
}

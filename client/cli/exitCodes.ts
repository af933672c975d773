/** The exit statuses of every `codemode` command. */
export const ExitCode = {
  ok: 0,
  /** The cell failed or was terminated, or the host could not run it. */
  failed: 1,
  /** A mistake on the command line: nothing was run. */
  usage: 2,
  /** Ctrl-C, as a shell reports a process killed by SIGINT (128 + 2). */
  interrupted: 130,
} as const;

#!/usr/bin/env node
/**
 * The `codemode` entry: the real process as the commands' context. Neither the CLI nor the host
 * child it starts loads isolated-vm: the host's sandbox processes do.
 */
import { codemode } from './codemode.js';
import type { InterruptSource } from './context.js';

const interrupts: InterruptSource = (listener) => {
  process.on('SIGINT', listener);
  return () => process.off('SIGINT', listener);
};

// The exit status is set, not forced: the process ends once every child, timer and stream is released.
process.exitCode = await codemode(process.argv.slice(2), {
  io: { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr },
  env: process.env,
  cwd: process.cwd(),
  interrupts,
});

#!/usr/bin/env -S node --no-node-snapshot
/**
 * The `codemode-host` entry. isolated-vm needs Node's `--no-node-snapshot`; when the host was
 * started without it, it restarts itself with it rather than risk a crash inside V8.
 */
import { spawn } from 'node:child_process';

const FLAG = '--no-node-snapshot';
const hasFlag = process.execArgv.includes(FLAG) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(FLAG);

if (hasFlag) {
  const { runHost } = await import('./hostProcess.js');
  await runHost(process.argv.slice(2));
} else {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}

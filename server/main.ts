#!/usr/bin/env -S node --no-node-snapshot
/**
 * The `codemode-host` entry. isolated-vm needs Node's `--no-node-snapshot`; when the host was
 * started without it, it restarts itself with it rather than risk a crash inside V8. Before the
 * host loads anything else it checks its engine, and exits 3 with one line saying what to do when
 * Node is too old or isolated-vm is missing, has no native build here or is a vulnerable release.
 */
import { spawn } from 'node:child_process';

const FLAG = '--no-node-snapshot';
const hasFlag = process.execArgv.includes(FLAG) || (process.env.NODE_OPTIONS ?? '').split(/\s+/).includes(FLAG);

if (hasFlag) {
  const { checkEngine } = await import('./sandbox/engine.js');
  const engine = checkEngine();
  if (engine.ok) {
    const { runHost } = await import('./hostProcess.js');
    await runHost(process.argv.slice(2));
  } else {
    process.stderr.write(`codemode-host: ${engine.problem}\n`);
    process.exitCode = 3;
  }
} else {
  const child = spawn(process.execPath, [FLAG, ...process.execArgv, process.argv[1] ?? '', ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
}

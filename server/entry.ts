#!/usr/bin/env node
/**
 * The `codemode-host` entry, which the build bundles with everything it imports into
 * dist/server/main.js (scripts/bundle-host.mjs). Before the host starts it checks its engine, and
 * exits 3 with one line saying what to do when Node is too old or isolated-vm is missing, has no
 * native build here or is a vulnerable release.
 *
 * The host never loads isolated-vm (its sandbox processes do, each started with the
 * `--no-node-snapshot` the addon needs), so it runs on Node's start-up snapshot and starts the
 * faster for it; a host started with the flag runs just the same.
 */
const { checkEngine } = await import('./sandbox/engine.js');
const engine = checkEngine();
if (engine.ok) {
  const { runHost } = await import('./hostProcess.js');
  runHost(process.argv.slice(2));
} else {
  process.stderr.write(`codemode-host: ${engine.problem}\n`);
  process.exitCode = 3;
}

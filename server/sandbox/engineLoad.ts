/**
 * The first import of a sandbox process (processMain.ts): it loads isolated-vm before any module
 * that uses it. The host only checked that a native build is there (engine.ts); one that is there
 * but does not load (built for another Node, a missing system library) ends this process with one
 * UNUSABLE_ENGINE_PREFIX line, which the host gives its cells as the cause, instead of an import
 * stack and a bare exit status.
 */
import { writeSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isolatedVmManifest, noNativeBuildProblem, UNUSABLE_ENGINE_PREFIX } from './engine.js';

/** The exit status of a sandbox process whose isolated-vm does not load, as the host's own check exits. */
const UNUSABLE_ENGINE_EXIT = 3;

try {
  createRequire(import.meta.url)('isolated-vm');
} catch (error) {
  const problem = noNativeBuildProblem(isolatedVmManifest()?.version ?? 'unknown', error);
  // Synchronous: the line must be out before the process is.
  writeSync(2, `${UNUSABLE_ENGINE_PREFIX}${problem}\n`);
  process.exit(UNUSABLE_ENGINE_EXIT);
}

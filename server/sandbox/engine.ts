/**
 * The engine check the host runs before anything else: a supported Node line, and an isolated-vm
 * that loads and is not one of the releases affected by GHSA-864f-rcv7-6rh4 (a sandbox escape
 * through `ExternalCopy`'s transfer list; fixed in 6.2.0 for Node 22 and 7.0.1 for Node 24/26).
 * isolated-vm is imported dynamically here so that a missing native build becomes a sentence
 * saying what to do, not a module-not-found stack.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export const MIN_NODE_MAJOR = 24;
export const ADVISORY = 'GHSA-864f-rcv7-6rh4';

export type EngineCheck = { ok: true; isolatedVm: string } | { ok: false; problem: string };

/** Whether an isolated-vm release is affected by the advisory: every release before 6.2.0, and 7.0.0. */
export function isVulnerableIsolatedVm(version: string): boolean {
  const match = /^(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (match === null) return true;
  const [major, minor, patch] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (major < 6) return true;
  if (major === 6) return minor < 2;
  return major === 7 && minor === 0 && patch === 0;
}

/** The problem with this Node and isolated-vm, if any. */
export function engineProblem(nodeVersion: string, isolatedVmVersion: string): string | null {
  const nodeMajor = Number(nodeVersion.replace(/^v/, '').split('.')[0]);
  if (!(nodeMajor >= MIN_NODE_MAJOR)) {
    return `Node ${nodeVersion} is not supported: codemode-host needs Node ${MIN_NODE_MAJOR} or later (run it with a newer node, or use \`make\`, which brings one)`;
  }
  if (isVulnerableIsolatedVm(isolatedVmVersion)) {
    return `isolated-vm ${isolatedVmVersion} is affected by ${ADVISORY} (a sandbox escape) and will not be used: install isolated-vm 7.0.1 or later (\`npm install isolated-vm@7.0.1\`)`;
  }
  return null;
}

/** Checks the running Node and the isolated-vm the sandbox would load, and loads it once. */
export async function checkEngine(): Promise<EngineCheck> {
  const require = createRequire(import.meta.url);
  let manifestPath: string;
  try {
    manifestPath = require.resolve('isolated-vm/package.json');
  } catch {
    return { ok: false, problem: 'isolated-vm is not installed: run `npm install` in the codemode-host package (Node >= 24)' };
  }
  const version = (JSON.parse(readFileSync(manifestPath, 'utf8')) as { version: string }).version;
  const problem = engineProblem(process.version, version);
  if (problem !== null) return { ok: false, problem };
  try {
    await import('isolated-vm');
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return {
      ok: false,
      problem: `isolated-vm ${version} has no native build that loads on Node ${process.version} (${process.platform}-${process.arch}): ${reason}. Reinstall it with \`npm rebuild isolated-vm\` (it ships prebuilt binaries for Linux, macOS and Windows on Node 24 and 26; elsewhere it compiles with python3, make and a C++ compiler)`,
    };
  }
  return { ok: true, isolatedVm: version };
}

/**
 * The engine check the host runs before anything else: a supported Node line, and an isolated-vm
 * that has a native build for this platform and ABI and is not one of the releases affected by
 * GHSA-864f-rcv7-6rh4 (a sandbox escape through `ExternalCopy`'s transfer list; fixed in 6.2.0 for
 * Node 22 and 7.0.1 for Node 24/26). The host never runs an isolate, so it does not load the addon:
 * it finds the binary the way isolated-vm's loader (node-gyp-build) does, which costs a few file
 * lookups instead of a native load. Sandbox processes load it (engineLoad.ts) and report a build
 * that is found but does not load with the same sentence.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

export const MIN_NODE_MAJOR = 24;
export const ADVISORY = 'GHSA-864f-rcv7-6rh4';
/** The stderr line a sandbox process writes, before it exits, when isolated-vm does not load there. */
export const UNUSABLE_ENGINE_PREFIX = 'codemode-sandbox engine: ';

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

/** What to say when isolated-vm's native build is missing (host) or does not load (sandbox process). */
export function noNativeBuildProblem(version: string, error: unknown): string {
  const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
  return `isolated-vm ${version} has no native build that loads on Node ${process.version} (${process.platform}-${process.arch}): ${reason}. Reinstall it with \`npm rebuild isolated-vm\` (it ships prebuilt binaries for Linux, macOS and Windows on Node 24 and 26; elsewhere it compiles with python3, make and a C++ compiler)`;
}

/** The installed isolated-vm's manifest, or null when it is not installed. */
export function isolatedVmManifest(): { path: string; version: string } | null {
  let path: string;
  try {
    path = createRequire(import.meta.url).resolve('isolated-vm/package.json');
  } catch {
    return null;
  }
  return { path, version: (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version };
}

/** Checks the running Node and the isolated-vm a sandbox process would load, without loading it. */
export function checkEngine(): EngineCheck {
  const manifest = isolatedVmManifest();
  if (manifest === null) return { ok: false, problem: 'isolated-vm is not installed: run `npm install` in the codemode-host package (Node >= 24)' };
  const problem = engineProblem(process.version, manifest.version);
  if (problem !== null) return { ok: false, problem };
  try {
    // isolated-vm's own entry is `require('node-gyp-build')(__dirname)`; `path` is that lookup without the load.
    const nodeGypBuild = createRequire(manifest.path)('node-gyp-build') as { path(dir: string): string };
    nodeGypBuild.path(dirname(manifest.path));
  } catch (error) {
    return { ok: false, problem: noNativeBuildProblem(manifest.version, error) };
  }
  return { ok: true, isolatedVm: manifest.version };
}

/**
 * Every system the peers table compares, loaded on demand so a process running one of them loads
 * exactly that one. Ours comes first: ratios are against it.
 */
import type { PeerSystem } from './system.js';
import { TANSTACK, TANSTACK_INSTALL, tanstackInstalled } from './tanstackPackage.js';

export const SYSTEMS: Readonly<Record<string, () => Promise<PeerSystem>>> = {
  'codemode-host': async () => new (await import('./codemodeHost.js')).CodemodeHostSystem(),
  'isolated-vm in-process': async () => new (await import('./isolatedVm.js')).IsolatedVmSystem(),
  'QuickJS-WASM in-process': async () => new (await import('./quickjs.js')).QuickJsSystem(),
  [TANSTACK]: async () => new (await import('./tanstack.js')).TanStackSystem(),
};

export const SYSTEM_NAMES = Object.keys(SYSTEMS);

/** Each system whose bench-only install is missing, with the command that installs it. */
export const notInstalled = (): Record<string, string> => (tanstackInstalled() ? {} : { [TANSTACK]: TANSTACK_INSTALL });

import { fileURLToPath } from 'node:url';
import type { EffectiveSessionLimits, HostLimits } from '../schemas/index.js';

/** Host limits a client may set: any HostLimits field, and any session default. */
export type HostLimitOptions = Partial<Omit<HostLimits, 'sessionDefaults'>> & {
  sessionDefaults?: Partial<EffectiveSessionLimits>;
};

/** A resolved command line: the program and its arguments. */
export interface HostCommand {
  file: string;
  args: string[];
}

/**
 * This package's own host entry point. The one place that knows where the build puts it:
 * `dist/client/hostCommand.js` → `dist/server/main.js`.
 */
export function defaultHostEntry(): string {
  return fileURLToPath(new URL('../server/main.js', import.meta.url));
}

/**
 * The command line that starts the host: `command` (default: the current Node running this
 * package's host, which needs no Node flags: only its sandbox processes load isolated-vm) followed
 * by one kebab-case flag per limit (`maxMessageBytes` → `--max-message-bytes N`; a null session
 * default → `none`).
 */
export function buildHostCommand(command: readonly string[] | undefined, limits: HostLimitOptions = {}): HostCommand {
  const [file, ...args] = command ?? [process.execPath, defaultHostEntry()];
  if (file === undefined) throw new TypeError('command must name a program');
  const { sessionDefaults = {}, ...hostLimits } = limits;
  for (const [name, value] of [...Object.entries(hostLimits), ...Object.entries(sessionDefaults)]) {
    if (value === undefined) continue;
    args.push(`--${kebabCase(name)}`, value === null ? 'none' : String(value));
  }
  return { file, args };
}

function kebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

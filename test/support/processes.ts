/** What tests read about processes on Linux: children from pgrep, states from /proc. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Pids of `parent`'s child processes, zombies included, lowest first. */
export function childPids(parent: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => line !== '')
      .map(Number)
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}

/** The process's state letter (`R`, `S`, `Z`…), or null once it is gone. */
export function processState(pid: number): string | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The state follows the command name, which is in parentheses and may hold spaces.
  const end = stat.lastIndexOf(')');
  return stat.slice(end + 2, end + 3);
}

/** Whether `pid` is a live process: not gone, and not a zombie waiting to be reaped. */
export function isRunning(pid: number): boolean {
  const state = processState(pid);
  return state !== null && state !== 'Z';
}

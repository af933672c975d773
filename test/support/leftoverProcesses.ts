/**
 * A root hook: after the last test, no process a test started may still run. A host, server or
 * editor left behind is a leak (a cleanup path that did not run, often a test that timed out
 * while awaiting it), and it keeps mocha from exiting after the summary, which leaves CI waiting.
 * Each one is killed, so the run ends, and the run fails naming it.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** This process's children that have not exited (a zombie has, and is only waiting to be reaped). */
function runningChildren(): number[] {
  let listed: string;
  try {
    listed = execFileSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' });
  } catch {
    return [];
  }
  return listed
    .split('\n')
    .filter((line) => line !== '')
    .map(Number)
    .filter((pid) => state(pid) !== 'Z' && state(pid) !== null);
}

function state(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

export const mochaHooks = {
  afterAll(): void {
    const left = runningChildren().map((pid) => ({ pid, command: commandLine(pid) }));
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // It exited between the listing and the kill.
      }
    }
    if (left.length > 0) {
      throw new Error(`tests left ${left.length} process(es) running, now killed: ${left.map(({ pid, command }) => `${pid} ${command}`).join('; ')}`);
    }
  },
};

/**
 * A root hook: after the last test, no process a test started may still run. A host, server or
 * editor left behind is a leak (a cleanup path that did not run, often a test that timed out
 * while awaiting it), and it keeps mocha from exiting after the summary, which leaves CI waiting.
 * Each one is killed, so the run ends, and the run fails naming it.
 */
import { readFileSync } from 'node:fs';
import { childPids, isRunning } from './processes.js';

function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '(gone)';
  }
}

export const mochaHooks = {
  afterAll(): void {
    const left = childPids(process.pid).filter(isRunning).map((pid) => ({ pid, command: commandLine(pid) }));
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

/**
 * node_start: spawning `node` (as the host is spawned, with no flags) on an entry file that
 * imports nothing, to its exit. The floor of host_start.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { selfContained, type Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

const EMPTY_ENTRY = fileURLToPath(new URL('./emptyEntry.js', import.meta.url));

function startOnce(): Promise<void> {
  const child = spawn(process.execPath, [EMPTY_ENTRY], { stdio: ['pipe', 'pipe', 'ignore'] });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the empty entry exited with ${code}`))));
  });
}

export function nodeStart(samples: number): Member<Timing> {
  return {
    name: 'node_start',
    units: samples,
    warmup: warmupFor(samples),
    summarize: timing,
    open: selfContained(() => timeMs(startOnce)),
  };
}

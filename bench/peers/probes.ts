/** Start-up and memory of each system, each measured in a fresh child process (probe.ts). */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const PROBE = fileURLToPath(new URL('./probe.js', import.meta.url));

export async function probe<T>(args: string[]): Promise<T> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--no-node-snapshot', '--expose-gc', PROBE, ...args], {
    maxBuffer: 1024 * 1024,
  });
  return JSON.parse(stdout) as T;
}

export interface Memory {
  idleSessionKiB: number;
  runningCellKiB: number;
}

export const startupMs = async (system: string): Promise<number> => (await probe<{ ms: number }>(['startup', system])).ms;

export const memory = (system: string, sessions: number, cells: number): Promise<Memory> =>
  probe<Memory>(['memory', system, String(sessions), String(cells)]);

/** What the figures were measured on; they mean little without it. */
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import type { ModeName } from './mode.js';

export interface Machine {
  date: string;
  mode: ModeName;
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  platform: string;
  node: string;
  isolatedVm: string;
  vscodeJsonrpc: string;
  /** 1, 5 and 15 minute load averages when the run started: other work on the machine skews every figure. */
  loadAverage: number[];
}

/** Read from node_modules directly: vscode-jsonrpc's exports map hides its package.json. */
function packageVersion(name: string): string {
  const path = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

export function machine(mode: ModeName): Machine {
  const list = cpus();
  return {
    date: new Date().toISOString(),
    mode,
    cpus: list.length,
    cpuModel: list[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    isolatedVm: packageVersion('isolated-vm'),
    vscodeJsonrpc: packageVersion('vscode-jsonrpc'),
    loadAverage: loadAverageNow(),
  };
}

export function loadAverageNow(): number[] {
  return loadavg().map((l) => Number(l.toFixed(2)));
}

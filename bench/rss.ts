/** A process's resident set size, from /proc (Linux only, as the bench's machine info records). */
import { readdir, readFile } from 'node:fs/promises';

export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (match === null) throw new Error(`no VmRSS in /proc/${pid}/status`);
  return Number(match[1]);
}

/** Every process started by `pid` and by its children, from /proc (each thread lists the children it forked). */
export async function descendantPids(pid: number): Promise<number[]> {
  const children: number[] = [];
  for (const task of await readdir(`/proc/${pid}/task`).catch(() => [] as string[])) {
    const listed = await readFile(`/proc/${pid}/task/${task}/children`, 'utf8').catch(() => '');
    for (const child of listed.split(' ').filter((word) => word.trim() !== '')) children.push(Number(child));
  }
  const below = await Promise.all(children.map(descendantPids));
  return [...children, ...below.flat()];
}

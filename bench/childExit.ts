/** A child's exit, awaited when it is closed; taken at spawn, so an exit before the close is not missed. */
import type { ChildProcess } from 'node:child_process';

export function childExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * The REPL's persisted history: `~/.codemode_history`, or `$CODEMODE_HISTORY`; an empty
 * `CODEMODE_HISTORY=` turns persistence off. One entry per line, newest first, as readline keeps
 * it. A file that cannot be read or written only means no persisted history.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_SIZE = 1000;

export class HistoryFile {
  private writable = true;

  private constructor(private readonly path: string) {}

  /** The history file the environment asks for, or undefined when persistence is off. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): HistoryFile | undefined {
    const path = env.CODEMODE_HISTORY ?? join(homedir(), '.codemode_history');
    return path === '' ? undefined : new HistoryFile(path);
  }

  /** The saved lines, newest first; none when the file is missing or unreadable. */
  load(): string[] {
    try {
      return readFileSync(this.path, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .slice(0, HISTORY_SIZE);
    } catch {
      return [];
    }
  }

  /** Replaces the file with `lines` (newest first); after one failure it stops trying. */
  save(lines: readonly string[]): void {
    if (!this.writable) return;
    try {
      // Synchronous: the file is small, and a write cannot then race the next one or the exit.
      writeFileSync(this.path, `${lines.slice(0, HISTORY_SIZE).join('\n')}\n`, { mode: 0o600 });
    } catch {
      this.writable = false;
    }
  }
}

/**
 * The REPL's persisted history: `~/.codemode_history`, or `$CODEMODE_HISTORY`; an empty
 * `CODEMODE_HISTORY=` turns persistence off. One entry per line, newest first, as readline keeps
 * it. A file that cannot be read or written only means no persisted history.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const HISTORY_SIZE = 1000;

/**
 * A multi-line entry is one history entry; in the file its line breaks are carriage returns, so
 * the file stays one entry per line (a carriage return is a line break in JavaScript too).
 */
const ENTRY_LINE_BREAK = '\r';

/**
 * Replaces the `lineCount` history lines readline just recorded for a multi-line entry with the
 * entry itself, so Up brings it back whole. readline adds every non-blank line it reads to the
 * front of its `history` array; blank lines are never part of an entry.
 */
export function joinHistoryEntry(history: string[], lines: readonly string[]): void {
  if (lines.length < 2) return;
  const recorded = [...lines].reverse();
  if (!recorded.every((line, i) => history[i] === line)) return;
  history.splice(0, lines.length, lines.join('\n'));
}

export class HistoryFile {
  private writable = true;

  private constructor(private readonly path: string) {}

  /** The history file the environment asks for, or undefined when persistence is off. */
  static fromEnv(env: Readonly<Record<string, string | undefined>>): HistoryFile | undefined {
    const path = env.CODEMODE_HISTORY ?? join(homedir(), '.codemode_history');
    return path === '' ? undefined : new HistoryFile(path);
  }

  /** The saved entries, newest first; none when the file is missing or unreadable. */
  load(): string[] {
    try {
      return readFileSync(this.path, 'utf8')
        .split('\n')
        .filter((line) => line !== '')
        .slice(0, HISTORY_SIZE)
        .map((line) => line.replaceAll(ENTRY_LINE_BREAK, '\n'));
    } catch {
      return [];
    }
  }

  /** Replaces the file with `lines` (newest first); after one failure it stops trying. */
  save(lines: readonly string[]): void {
    if (!this.writable) return;
    try {
      // Synchronous: the file is small, and a write cannot then race the next one or the exit.
      const entries = lines.slice(0, HISTORY_SIZE).map((entry) => entry.replaceAll('\n', ENTRY_LINE_BREAK));
      writeFileSync(this.path, `${entries.join('\n')}\n`, { mode: 0o600 });
    } catch {
      this.writable = false;
    }
  }
}

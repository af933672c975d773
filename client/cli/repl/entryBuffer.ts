/** Gathers REPL input lines into entries: a line continues the entry while it is unfinished. */
import { needsMoreInput } from './completeness.js';

export type LineResult =
  /** `lines`: the entry's non-blank lines as typed. */
  | { kind: 'entry'; source: string; lines: string[] }
  /** The entry is unfinished; the next line continues it. */
  | { kind: 'more' }
  /** A blank line with no entry begun: nothing to run. */
  | { kind: 'blank' };

export class EntryBuffer {
  private lines: string[] = [];

  /** Whether an unfinished entry is waiting for more lines. */
  get pending(): boolean {
    return this.lines.length > 0;
  }

  /** Adds a line. A blank line submits an unfinished entry as it is, so a typo cannot trap the prompt. */
  add(line: string): LineResult {
    const blank = line.trim() === '';
    if (blank && !this.pending) return { kind: 'blank' };
    if (!blank) this.lines.push(line);
    const source = this.lines.join('\n');
    if (!blank && needsMoreInput(source)) return { kind: 'more' };
    const lines = this.lines;
    this.lines = [];
    return { kind: 'entry', source, lines };
  }

  clear(): void {
    this.lines = [];
  }
}

/**
 * Tab completion of the realm's global names. The REPL's session is persistent, so its names live
 * in the host: they are asked for with a small cell whose last expression is the list, which is
 * the result item protocol.md documents. The asking cell's output is not printed.
 */
import type { CodeModeSession } from '../../index.js';

/** The global names the realm has now, as one JSON text item. */
const NAMES_CELL = `Reflect.ownKeys(globalThis).filter((name) => typeof name === 'string')`;

const IDENTIFIER_TAIL = /[A-Za-z_$][\w$]*$/;

export class GlobalNames {
  /** Set while the asking cell runs: its output is the list, not something to print. */
  private asking: string | undefined;
  private running = false;

  /**
   * @param session the REPL's session, once open
   * @param idle whether no cell of the session runs now (a persistent session runs one at a time)
   */
  constructor(
    private readonly session: () => CodeModeSession | undefined,
    private readonly idle: () => boolean,
  ) {}

  /** Whether output of cell `cellId` belongs to a completion (also while its id is not yet known). */
  quiet(cellId: string): boolean {
    return this.running && (this.asking === undefined || this.asking === cellId);
  }

  /** readline's completer: the global names starting with the identifier before the cursor. */
  async complete(line: string): Promise<[string[], string]> {
    const prefix = IDENTIFIER_TAIL.exec(line)?.[0] ?? '';
    const before = line.slice(0, line.length - prefix.length);
    // A member access completes properties, which this does not know.
    if (before.endsWith('.')) return [[], prefix];
    const names = await this.names();
    return [names.filter((name) => name.startsWith(prefix)).sort(), prefix];
  }

  private async names(): Promise<string[]> {
    const session = this.session();
    if (session === undefined || this.running || !this.idle()) return [];
    this.running = true;
    try {
      const response = await session.execute({ source: NAMES_CELL });
      this.asking = response.cellId;
      const item = response.items[0];
      if (response.status !== 'completed' || item?.type !== 'text') return [];
      const parsed: unknown = JSON.parse(item.text);
      return Array.isArray(parsed) ? parsed.filter((name): name is string => typeof name === 'string') : [];
    } catch {
      return [];
    } finally {
      this.running = false;
      this.asking = undefined;
    }
  }
}

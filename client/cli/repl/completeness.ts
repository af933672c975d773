/**
 * Whether a REPL entry is syntactically unfinished, so the next line continues it. The source is
 * parsed (never run) as the body of an async arrow function, as the host runs a cell, with the
 * closing `})` on a line of its own. A source that breaks off early makes the parser fail at the
 * end of input, on that closing line, or (for an unclosed call) with "missing )" at the source's
 * very last token; any other error is left for the host to report when the entry runs.
 */
import { Script } from 'node:vm';

const FILENAME = 'repl-entry';

export function needsMoreInput(source: string): boolean {
  try {
    new Script(`(async () => {\n${source}\n})`, { filename: FILENAME });
    return false;
  } catch (error) {
    if (!(error instanceof SyntaxError)) return false;
    if (/Unexpected end of input|Unterminated template/.test(error.message)) return true;
    const lastLine = source.split('\n').length + 1;
    const where = errorLocation(error);
    if (where === undefined) return false;
    if (where.line === lastLine + 1) return true;
    return /missing \) after argument list/.test(error.message) && where.line === lastLine && where.atEnd;
  }
}

/**
 * Where V8 puts a SyntaxError, from its stack: `<filename>:<line>`, the source line, and a caret
 * line under the offending token. `atEnd`: that token is the last one on its line.
 */
function errorLocation(error: SyntaxError): { line: number; atEnd: boolean } | undefined {
  const [header = '', code = '', caret = ''] = (error.stack ?? '').split('\n');
  const match = new RegExp(`^${FILENAME}:(\\d+)$`).exec(header);
  if (match === null) return undefined;
  return { line: Number(match[1]), atEnd: caret.lastIndexOf('^') + 1 >= code.trimEnd().length };
}

/**
 * A sandbox process's stderr, as lines. Not node:readline: loading it costs the host a few
 * milliseconds of every start, and its buffer grows without bound on a stream that never writes a
 * newline. A line longer than MAX_LINE_CHARS is passed on in pieces of that length.
 */
import type { Readable } from 'node:stream';

export const MAX_LINE_CHARS = 64 * 1024;

/** Calls `onLine` for each line of `stream` (without its `\n` or `\r\n`), the last one at its end. */
export function forEachLine(stream: Readable, onLine: (line: string) => void): void {
  let partial = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) emit(line.endsWith('\r') ? line.slice(0, -1) : line);
    while (partial.length > MAX_LINE_CHARS) {
      onLine(partial.slice(0, MAX_LINE_CHARS));
      partial = partial.slice(MAX_LINE_CHARS);
    }
  });
  stream.on('end', () => {
    if (partial !== '') emit(partial);
    partial = '';
  });

  function emit(line: string): void {
    let rest = line;
    while (rest.length > MAX_LINE_CHARS) {
      onLine(rest.slice(0, MAX_LINE_CHARS));
      rest = rest.slice(MAX_LINE_CHARS);
    }
    onLine(rest);
  }
}

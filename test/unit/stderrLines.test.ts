import { expect } from 'chai';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { forEachLine, MAX_LINE_CHARS } from '../../server/sandbox/stderrLines.js';

/** The lines forEachLine reports for `chunks` written one by one, then the stream's end. */
async function linesOf(chunks: Array<string | Buffer>): Promise<string[]> {
  const stream = new PassThrough();
  const lines: string[] = [];
  forEachLine(stream, (line) => lines.push(line));
  const ended = once(stream, 'end');
  for (const chunk of chunks) stream.write(chunk);
  stream.end();
  await ended;
  return lines;
}

describe('sandbox stderr lines', () => {
  it('joins lines split across chunks, drops \\n and \\r\\n, and keeps empty lines', async () => {
    expect(await linesOf(['fir', 'st\nsec', 'ond\r\n\nthird\n'])).to.deep.equal(['first', 'second', '', 'third']);
  });

  it('reports a last line that has no newline when the stream ends, and nothing more', async () => {
    expect(await linesOf(['a\nb'])).to.deep.equal(['a', 'b']);
    expect(await linesOf(['a\n'])).to.deep.equal(['a']);
    expect(await linesOf([])).to.deep.equal([]);
  });

  it('decodes a character whose bytes are split across chunks', async () => {
    const bytes = Buffer.from('é€\n');
    expect(await linesOf([bytes.subarray(0, 1), bytes.subarray(1, 3), bytes.subarray(3)])).to.deep.equal(['é€']);
  });

  it('passes a line longer than MAX_LINE_CHARS on in pieces, without holding more than that', async () => {
    const long = 'x'.repeat(MAX_LINE_CHARS * 2 + 5);
    const pieces = [long.slice(0, MAX_LINE_CHARS), long.slice(MAX_LINE_CHARS, 2 * MAX_LINE_CHARS), 'xxxxx'];
    expect(await linesOf([long, '\nnext\n'])).to.deep.equal([...pieces, 'next']);
    expect(await linesOf([long.slice(0, 10), long.slice(10)])).to.deep.equal(pieces);
    expect(await linesOf([`${long}\n`])).to.deep.equal(pieces);
  });
});

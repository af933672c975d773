import { expect } from 'chai';
import { FrameHeaderError } from '../../schemas/frameHeaderError.js';
import { FrameParser, OVERSIZE_HEAD_BYTES, MAX_HEADER_BYTES } from '../../schemas/frameParser.js';
import { SPARE_MIN_BYTES, SpareBuffer } from '../../schemas/spareBuffer.js';
import { frame } from './harness.js';

type Event = { frame: string } | { oversize: number } | { fatal: FrameHeaderError };

function parserWith(maxMessageBytes = 1024) {
  const events: Event[] = [];
  const parser = new FrameParser(maxMessageBytes, {
    frame: (body) => events.push({ frame: body.toString('utf8') }),
    oversize: (byteLength) => events.push({ oversize: byteLength }),
    fatal: (error) => events.push({ fatal: error }),
  });
  return { parser, events };
}

function pushBytewise(parser: FrameParser, bytes: Buffer): void {
  for (let i = 0; i < bytes.length; i++) parser.push(bytes.subarray(i, i + 1));
}

function fatalOf(header: string): FrameHeaderError {
  const { parser, events } = parserWith();
  parser.push(Buffer.from(header, 'latin1'));
  expect(events).to.have.length(1);
  const event = events[0]!;
  expect(event).to.have.property('fatal');
  return (event as { fatal: FrameHeaderError }).fatal;
}

describe('FrameParser', () => {
  it('parses one frame', () => {
    const { parser, events } = parserWith();
    parser.push(frame('{"a":1}'));
    expect(events).to.deep.equal([{ frame: '{"a":1}' }]);
  });

  it('parses many frames in one chunk', () => {
    const { parser, events } = parserWith();
    parser.push(Buffer.concat([frame('1'), frame('[2]'), frame('"three"')]));
    expect(events).to.deep.equal([{ frame: '1' }, { frame: '[2]' }, { frame: '"three"' }]);
  });

  it('parses frames fed one byte at a time', () => {
    const { parser, events } = parserWith();
    pushBytewise(parser, Buffer.concat([frame('{"x":"y"}'), frame('2')]));
    expect(events).to.deep.equal([{ frame: '{"x":"y"}' }, { frame: '2' }]);
  });

  it('counts bytes, not characters, and joins multi-byte UTF-8 split across chunks', () => {
    const { parser, events } = parserWith();
    const body = '"é€😀"';
    const bytes = frame(body);
    expect(bytes.toString('latin1')).to.match(/^Content-Length: 11\r\n/);
    pushBytewise(parser, bytes);
    parser.push(bytes.subarray(0, bytes.length - 3));
    parser.push(bytes.subarray(bytes.length - 3));
    expect(events).to.deep.equal([{ frame: body }, { frame: body }]);
  });

  it('accepts header names in any case, utf8 and utf-8 charsets, and ignores other headers', () => {
    const { parser, events } = parserWith();
    const headers = [
      'content-length: 1\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n1',
      'CONTENT-LENGTH:1\r\ncontent-type: application/vscode-jsonrpc; charset=utf8\r\n\r\n2',
      'X-Extra: yes\r\nContent-Length: 1\r\nContent-Type: application/json; charset="UTF-8"\r\n\r\n3',
      'Content-Type: application/vscode-jsonrpc\r\nContent-Length:  1  \r\n\r\n4',
    ];
    parser.push(Buffer.from(headers.join(''), 'latin1'));
    expect(events).to.deep.equal([{ frame: '1' }, { frame: '2' }, { frame: '3' }, { frame: '4' }]);
  });

  it('reads a lone Content-Length header as the general parse does, leading zeros and long lengths included', () => {
    const { parser, events } = parserWith(1 << 20);
    // The first four take the canonical path; the others, with spaces, case or 16 digits, the general one.
    parser.push(Buffer.from('Content-Length: 1\r\n\r\n1Content-Length: 003\r\n\r\n"a"', 'latin1'));
    parser.push(Buffer.from('Content-Length: 000000000000002\r\n\r\n[]Content-Length: 0\r\n\r\n', 'latin1'));
    parser.push(Buffer.from('content-length: 1\r\n\r\n2Content-Length:  1 \r\n\r\n3Content-Length: 0000000000000001\r\n\r\n4', 'latin1'));
    expect(events).to.deep.equal([{ frame: '1' }, { frame: '"a"' }, { frame: '[]' }, { frame: '' }, { frame: '2' }, { frame: '3' }, { frame: '4' }]);
    expect(fatalOf('Content-Length: 1x\r\n\r\n').problem).to.equal('invalidContentLength');
    expect(fatalOf('Content-Length: 9999999999999999999\r\n\r\n').problem).to.equal('invalidContentLength');
  });

  it('delivers a zero-length body as an empty frame', () => {
    const { parser, events } = parserWith();
    parser.push(Buffer.from('Content-Length: 0\r\n\r\n', 'latin1'));
    expect(events).to.deep.equal([{ frame: '' }]);
  });

  it('assembles a large body delivered in many chunks', () => {
    const { parser, events } = parserWith(10 << 20);
    const body = `"${'a'.repeat(5 << 20)}"`;
    const bytes = frame(body);
    for (let offset = 0; offset < bytes.length; offset += 65536) parser.push(bytes.subarray(offset, offset + 65536));
    expect(events).to.have.length(1);
    expect((events[0] as { frame: string }).frame === body).to.equal(true);
  });

  it('reads a large body into the buffer of one released before, never into one still held', () => {
    const bodies: Array<{ body: Buffer; text: string; release: (() => void) | undefined }> = [];
    const spare = new SpareBuffer(1 << 20, 60_000);
    const parser = new FrameParser(1 << 20, { frame: (body, release) => bodies.push({ body, text: body.toString('latin1'), release }), oversize: () => {}, fatal: () => {} }, spare);
    const pushInChunks = (bytes: Buffer) => {
      for (let offset = 0; offset < bytes.length; offset += 65536) parser.push(bytes.subarray(offset, offset + 65536));
    };
    const large = (letter: string) => `"${letter.repeat(SPARE_MIN_BYTES)}"`;
    pushInChunks(Buffer.concat([frame(large('a')), frame(large('b'))]));
    const [a, b] = bodies;
    expect(a!.body.buffer, 'a second buffer while the first is held').to.not.equal(b!.body.buffer);
    a!.release!();
    pushInChunks(frame(large('c')));
    expect(bodies[2]!.body.buffer, 'the buffer released').to.equal(a!.body.buffer);
    expect(bodies.map(({ text }) => text)).to.deep.equal([large('a'), large('b'), large('c')]);
    expect(b!.body.toString('latin1'), 'the body still held is intact').to.equal(large('b'));
    pushInChunks(frame(`"${'d'.repeat(SPARE_MIN_BYTES - 100)}"`));
    parser.push(frame(large('e')));
    expect(bodies.slice(3).map(({ release }) => release), 'small bodies and bodies within one chunk are not lent').to.deep.equal([undefined, undefined]);
    spare.dispose();
  });

  it('skips an oversize body across chunks, then parses the next frame', () => {
    const { parser, events } = parserWith(8);
    const big = frame(`"${'z'.repeat(100)}"`);
    const next = frame('"ok"');
    const all = Buffer.concat([big, next]);
    parser.push(all.subarray(0, 30));
    // Announced once the body's head is known: here, at its end (it is shorter than the head).
    expect(events).to.deep.equal([]);
    parser.push(all.subarray(30, 90));
    parser.push(all.subarray(90));
    expect(events).to.deep.equal([{ oversize: 102 }, { frame: '"ok"' }]);
  });

  it('announces a long oversize body once its head is known and hands that head over', () => {
    const heads: string[] = [];
    const parser = new FrameParser(8, { frame: () => {}, oversize: (_length, head) => heads.push(head.toString()), fatal: () => {} });
    const body = `{"jsonrpc":"2.0","id":7,"result":"${'r'.repeat(1000)}"}`;
    const bytes = frame(body);
    parser.push(bytes.subarray(0, 300));
    expect(heads).to.deep.equal([body.slice(0, OVERSIZE_HEAD_BYTES)]);
    parser.push(bytes.subarray(300));
    expect(heads).to.have.length(1);
  });

  it('skips an oversize body fed one byte at a time', () => {
    const { parser, events } = parserWith(8);
    pushBytewise(parser, Buffer.concat([frame(`"${'z'.repeat(20)}"`), frame('1')]));
    expect(events).to.deep.equal([{ oversize: 22 }, { frame: '1' }]);
    expect(parser.atFrameBoundary).to.equal(true);
  });

  describe('fatal header errors', () => {
    const cases: [string, string, FrameHeaderError['problem']][] = [
      ['missing Content-Length', 'Content-Type: application/vscode-jsonrpc\r\n\r\n{}', 'missingContentLength'],
      ['empty header block', '\r\n\r\n{}', 'missingContentLength'],
      ['non-numeric length', 'Content-Length: abc\r\n\r\n', 'invalidContentLength'],
      ['negative length', 'Content-Length: -5\r\n\r\n', 'invalidContentLength'],
      ['digits then junk', 'Content-Length: 12abc\r\n\r\n', 'invalidContentLength'],
      ['empty length', 'Content-Length:\r\n\r\n', 'invalidContentLength'],
      ['fractional length', 'Content-Length: 1.5\r\n\r\n', 'invalidContentLength'],
      ['length beyond 2^53', 'Content-Length: 99999999999999999999\r\n\r\n', 'invalidContentLength'],
      ['two lengths', 'Content-Length: 1\r\nContent-Length: 1\r\n\r\n1', 'duplicateContentLength'],
      ['bad charset', 'Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=latin1\r\n\r\n{}', 'unsupportedCharset'],
      ['line without colon', 'Content-Length 2\r\n\r\n{}', 'malformedHeaderLine'],
      ['bare LF line ending', 'Content-Length: 2\nX: y\r\n\r\n{}', 'malformedHeaderLine'],
    ];
    for (const [name, header, problem] of cases) {
      it(name, () => {
        const error = fatalOf(header);
        expect(error).to.be.instanceOf(FrameHeaderError);
        expect(error.problem).to.equal(problem);
      });
    }

    it('a header block over 8 KiB', () => {
      const error = fatalOf(`Content-Length: 2\r\nX-Pad: ${'p'.repeat(MAX_HEADER_BYTES)}\r\n\r\n{}`);
      expect(error.problem).to.equal('headerTooLarge');
    });

    it('accepts a header block of exactly 8 KiB', () => {
      const { parser, events } = parserWith();
      const start = 'Content-Length: 1\r\nX-Pad: ';
      const header = `${start}${'p'.repeat(MAX_HEADER_BYTES - start.length - 4)}\r\n\r\n`;
      expect(header.length).to.equal(MAX_HEADER_BYTES);
      parser.push(Buffer.from(`${header}7`, 'latin1'));
      expect(events).to.deep.equal([{ frame: '7' }]);
    });

    it('stops for good after a fatal error', () => {
      const { parser, events } = parserWith();
      parser.push(Buffer.from('Content-Length: x\r\n\r\n', 'latin1'));
      parser.push(frame('1'));
      expect(events).to.have.length(1);
    });
  });
});

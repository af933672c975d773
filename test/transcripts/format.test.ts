/** The transcript format: parsing errors, matchers and escaping (docs/transcripts.md). */
import { expect } from 'chai';
import { TranscriptSyntaxError } from '../../client/transcripts/errors.js';
import { matchPattern } from '../../client/transcripts/match.js';
import { parseTranscript } from '../../client/transcripts/parse.js';
import { compilePattern } from '../../client/transcripts/pattern.js';
import { substitute } from '../../client/transcripts/substitute.js';
import { escapeValue } from '../../client/transcripts/syntax.js';

const compile = (value: any) => compilePattern(value, { captures: [], refs: [] });
const matches = (pattern: any, actual: unknown, bindings = new Map<string, any>()) => matchPattern(compile(pattern), actual, bindings);

describe('transcript format', () => {
  it('parses every line kind, skipping comments and blank lines', () => {
    const transcript = parseTranscript(
      ['{"host": {"args": ["--max-sessions", "2"]}}', '// a comment', '# another', '', '{"c": {"id": 1}}', '{"c_body": "{"}', '{"c_raw": "x"}', '{"h": "$capture:a"}', '{"eof": true}', '{"exit": 0}'].join('\n'),
      'inline',
    );
    expect(transcript.hostArgs).to.deep.equal(['--max-sessions', '2']);
    expect(transcript.lines.map((line) => [line.kind, line.line])).to.deep.equal([['client', 5], ['clientBody', 6], ['clientRaw', 7], ['host', 8], ['eof', 9], ['exit', 10]]);
  });

  const malformed: Array<[string, string, RegExp]> = [
    ['not JSON', '{"c": ', /inline:1: not JSON/],
    ['two keys', '{"c": 1, "h": 2}', /exactly one key/],
    ['an unknown matcher', '{"h": "$anything:x"}', /unknown matcher "\$anything:"/],
    ['a bad $any kind', '{"h": "$any:bool"}', /\$any:number, \$any:string or \$any:value/],
    ['a bad regex', '{"h": "$regex:("}', /\$regex:\(/],
    ['a ref before its capture', '{"c": "$ref:x"}', /names no "\$capture:x"/],
    ['a matcher in a client line', '{"c": "$any:number"}', /only accept "\$ref:name"/],
    ['a capture made twice', '{"h": "$capture:x"}\n{"h": "$capture:x"}', /inline:2: "\$capture:x" is captured twice/],
    ['an unknown directive key', '{"h": {"$strict": true}}', /unknown directive key/],
    ['host after the first line', '{"c": 1}\n{"host": {"args": []}}', /only be the first line/],
    ['sending after eof', '{"eof": true}\n{"c": 1}', /nothing can be sent after/],
  ];
  for (const [name, text, message] of malformed) {
    it(`rejects ${name}, naming the line`, () => {
      expect(() => parseTranscript(text, 'inline')).to.throw(TranscriptSyntaxError, message);
    });
  }

  it('matches $any, $regex and $partial, and names the first difference', () => {
    expect(matches({ a: '$any:number', b: '$regex:^x+$' }, { a: 1.5, b: 'xx' }).ok).to.equal(true);
    expect(matches({ a: 1, $partial: true }, { a: 1, extra: 2 }).ok).to.equal(true);
    expect(matches({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).to.deep.equal({ ok: false, mismatch: { path: ['a', 1, 'b'], expected: '"x"', actual: '"y"' } });
    expect(matches({ a: 1 }, { a: 1, b: 2 })).to.deep.include({ ok: false });
    expect(matches('$any:string', 3)).to.deep.include({ ok: false });
  });

  it('captures values and compares refs to them', () => {
    const captured = matches({ id: '$capture:sid' }, { id: 'session-1' });
    expect(captured).to.deep.equal({ ok: true, captures: new Map([['sid', 'session-1']]) });
    const bindings = new Map([['sid', 'session-1']]);
    expect(matches('$ref:sid', 'session-1', bindings).ok).to.equal(true);
    expect(matches('$ref:sid', 'session-2', bindings).ok).to.equal(false);
    expect(substitute({ sessionId: '$ref:sid', $$key: '$$any:number' }, bindings)).to.deep.equal({ sessionId: 'session-1', $key: '$any:number' });
  });

  it('escapes real values that look like matchers so they read back as themselves', () => {
    const real = { method: '$/cancelRequest', text: '$any:number', money: '$$5', $partial: 1 };
    const escaped = escapeValue(real) as any;
    expect(escaped).to.deep.equal({ method: '$/cancelRequest', text: '$$any:number', money: '$$$5', $$partial: 1 });
    expect(matches(escaped, real).ok).to.equal(true);
    expect(substitute(escaped, new Map())).to.deep.equal(real);
  });
});

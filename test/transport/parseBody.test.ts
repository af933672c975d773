import { expect } from 'chai';
import { RawText } from '../../server/rawText.js';
import { parseBody } from '../../server/transport/parseBody.js';

const LONG = 'x'.repeat(70 * 1024);

const parse = (text: string): unknown => parseBody(Buffer.from(text, 'utf8'));

/** The value with every RawText as the string it stands for. */
const texts = (value: unknown): unknown => JSON.parse(JSON.stringify(value)) as unknown;

/** parseBody must return what JSON.parse returns (a RawText standing for its string), or throw what it throws. */
function same(text: string): void {
  let expected: unknown;
  let expectedError: string | undefined;
  try {
    expected = JSON.parse(text);
  } catch (error) {
    expectedError = (error as Error).message;
  }
  if (expectedError !== undefined) {
    expect(() => parse(text)).to.throw(SyntaxError, expectedError);
    return;
  }
  expect(texts(parse(text))).to.deep.equal(expected);
}

const response = (inner: string, before = '{"jsonrpc":"2.0","id":7,') => `${before}"result":{"result":"${inner}"}}`;

describe('parseBody', () => {
  it('keeps a long escape-free ASCII result string as its bytes, undecoded', () => {
    const value = parse(response(LONG)) as { jsonrpc: string; id: number; result: { result: RawText } };
    expect(value.result.result).to.be.instanceOf(RawText);
    expect(value.result.result.text()).to.equal(LONG);
    expect({ ...value, result: {} }).to.deep.equal({ jsonrpc: '2.0', id: 7, result: {} });
  });

  it('slices a long escape-free non-ASCII result string out of the decoded text', () => {
    const inner = `é${LONG}`;
    expect(parse(response(inner))).to.deep.equal({ jsonrpc: '2.0', id: 7, result: { result: inner } });
  });

  it('reads the head as UTF-8 when only the long string is ASCII', () => {
    same(response(LONG, '{"jsonrpc":"2.0","id":"é7",'));
  });

  it('keeps non-ASCII and astral characters as JSON.parse does', () => {
    same(response(`é€😀${LONG}中文`));
  });

  it('falls back on escapes, escaped surrogates and quotes inside the string', () => {
    for (const inner of [`${LONG}\\n`, `\\u00e9${LONG}`, `${LONG}\\ud83d\\ude00`, `${LONG}\\ud800`, `${LONG}\\"`, `\\\\${LONG}`, `${LONG}\\/`]) same(response(inner));
  });

  it('throws as JSON.parse does on control characters, bad escapes and broken heads', () => {
    for (const text of [response(`${LONG}\n`), response(`${LONG}\u0000`), response(`${LONG}\\x`), `{"id":1,"result":{"result":"${LONG}"}}}`, `{"id":1,,"result":{"result":"${LONG}"}}`]) {
      same(text);
    }
  });

  it('gives the same value for nested, duplicate-key and decoy shapes', () => {
    same(response(LONG, '{"result":{"result":"first"},"id":1,'));
    same(response(LONG, '{"a":[1,{"b":"}}"}],'));
    same(`{"a\\"result":{"result":"${LONG}"}}`);
    same(`{"a":"x\\",\\"result\\":{\\"result\\":\\"${LONG}"}}`);
    same(`{"x":{"result":{"result":"${LONG}"}}}`);
    same(`{"id":1, "result":{"result":"${LONG}"}}`);
    same(`["result":{"result":"${LONG}"}}`);
    same(`{"id":1,"result":{"result":"${LONG}"}} `);
    same(`{"id":1,"result":{"result":"short"}}`);
    same(`{"id":1,"result":{"result":"${LONG}","result":"${LONG}"}}`);
    same(`{"id":1,"result":{"other":"${LONG}"}}`);
  });

  it("hands the body's release to the RawText that keeps its bytes, and calls it once the body was decoded otherwise", () => {
    let released = 0;
    const parseCounting = (text: string) => parseBody(Buffer.from(text, 'utf8'), () => released++);
    const raw = (parseCounting(response(LONG)) as { result: { result: RawText } }).result.result;
    expect(released, 'the RawText still reads the body').to.equal(0);
    raw.release();
    raw.release();
    expect(released).to.equal(1);
    expect(() => raw.text()).to.throw('RawText read after its bytes were released');
    for (const text of [response(`é${LONG}`), `{"x":{"result":{"result":"${LONG}"}}}`, '{"a":1}', '{']) {
      released = 0;
      try {
        parseCounting(text);
      } catch {
        // A body that is not JSON is released too.
      }
      expect(released, text.slice(0, 20)).to.equal(1);
    }
  });

  it('parses a short body as JSON.parse does', () => {
    same('{"jsonrpc":"2.0","id":1,"result":{"result":"a"}}');
    same('[1,2]');
    same('{');
  });
});

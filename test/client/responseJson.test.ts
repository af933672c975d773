import { expect } from 'chai';
import type { ResponseMessage } from 'vscode-jsonrpc/node';
import { responseJson } from '../../client/responseJson.js';
import { encodeFrame, jsonBytes, type JsonText } from '../../schemas/framing.js';

const text = (json: JsonText) => (typeof json === 'string' ? json : json.join(''));

const LONG = 64 * 1024;

/** A delegate response as vscode-jsonrpc builds it: jsonrpc, id, then the handler's `{result}`. */
const response = (result: unknown, id: number | string = 7): ResponseMessage => ({ jsonrpc: '2.0', id, result: { result } });

describe('responseJson', () => {
  const cases: Array<[string, unknown]> = [
    ['a long plain string', 'x'.repeat(LONG)],
    ['a long string with non-ASCII text', 'é€'.repeat(LONG)],
    ['a long string with a quote', `${'x'.repeat(LONG)}"`],
    ['a long string with a backslash', `\\${'x'.repeat(LONG)}`],
    ['a long string with a control character', `${'x'.repeat(LONG)}\n`],
    ['a long string with a surrogate pair', `${'x'.repeat(LONG)}😀`],
    ['a long string with a lone surrogate', `${'x'.repeat(LONG)}\ud800`],
    ['a short string', 'short'],
    ['an object', { text: 'x'.repeat(LONG) }],
    ['null', null],
  ];
  for (const [what, result] of cases) {
    it(`writes exactly JSON.stringify's text for ${what}`, () => {
      for (const id of [7, 'id "quoted"']) {
        const message = response(result, id);
        expect(text(responseJson(message))).to.equal(JSON.stringify(message));
      }
    });
  }

  it('writes exactly JSON.stringify\'s text for an error response and for a result with more keys', () => {
    const error: ResponseMessage = { jsonrpc: '2.0', id: 1, error: { code: -32603, message: 'x'.repeat(LONG) } };
    expect(text(responseJson(error))).to.equal(JSON.stringify(error));
    const extra = { jsonrpc: '2.0', id: 1, result: { result: 'x'.repeat(LONG), more: 1 } } as ResponseMessage;
    expect(text(responseJson(extra))).to.equal(JSON.stringify(extra));
  });
});

describe('encodeFrame of parts', () => {
  it('writes the same bytes as for the joined text, non-ASCII included', () => {
    const parts = ['{"a":"', `é${'x'.repeat(LONG)}€`, '"}'];
    const joined = parts.join('');
    expect(jsonBytes(parts)).to.equal(Buffer.byteLength(joined));
    expect(encodeFrame(parts, jsonBytes(parts)).equals(encodeFrame(joined, Buffer.byteLength(joined)))).to.equal(true);
  });
});

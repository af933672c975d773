import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ErrorCode, type ErrorKind } from '../../schemas/index.js';

const doc = readFileSync(new URL('../../../docs/protocol.md', import.meta.url), 'utf8');

describe('docs/protocol.md', () => {
  it('lists every error code with its data.kind', () => {
    for (const kind of Object.keys(ErrorCode) as ErrorKind[]) {
      expect(doc, kind).to.match(new RegExp(`\\| ${ErrorCode[kind]} \\| ${kind} \\|`));
    }
  });
});

/**
 * The fixture corpus: test/fixtures/accept/<stem>/*.json must validate and
 * test/fixtures/reject/<stem>/*.json must fail at the path they name (format in schemas/README.md).
 */
import { expect } from 'chai';
import { MethodTable, schemaStem, validateParams, type MethodName } from '../../schemas/index.js';
import { listDir, readJson, type SchemaDoc } from './repo.js';

const methodByStem = new Map((Object.keys(MethodTable) as MethodName[]).map((name) => [schemaStem(name), name]));

function fixtures(kind: 'accept' | 'reject'): Array<{ method: MethodName; file: string; fixture: SchemaDoc }> {
  return listDir(`test/fixtures/${kind}`).flatMap((stem) => {
    const method = methodByStem.get(stem);
    if (method === undefined) throw new Error(`test/fixtures/${kind}/${stem} names no method: rename or remove it`);
    return listDir(`test/fixtures/${kind}/${stem}`).map((name) => {
      const file = `test/fixtures/${kind}/${stem}/${name}`;
      return { method, file, fixture: readJson(file) as SchemaDoc };
    });
  });
}

// A fixture without "params" stands for a request whose params are absent.
const paramsOf = (fixture: SchemaDoc): unknown => ('params' in fixture ? fixture.params : undefined);

describe('Fixtures', () => {
  const accept = fixtures('accept');
  const reject = fixtures('reject');

  it('every method has accept and reject fixtures', () => {
    for (const method of methodByStem.values()) {
      expect(accept.some((f) => f.method === method), `accept/${schemaStem(method)}`).to.equal(true);
      expect(reject.some((f) => f.method === method), `reject/${schemaStem(method)}`).to.equal(true);
    }
  });

  describe('accept', () => {
    for (const { method, file, fixture } of accept) {
      it(`${method}: ${String(fixture.description)}`, () => {
        expect(Object.keys(fixture).filter((k) => k !== 'params'), file).to.deep.equal(['description']);
        expect(validateParams(method, paramsOf(fixture)), file).to.deep.include({ ok: true });
      });
    }
  });

  describe('reject', () => {
    for (const { method, file, fixture } of reject) {
      it(`${method}: ${String(fixture.description)}`, () => {
        expect(Object.keys(fixture).filter((k) => k !== 'params'), file).to.deep.equal(['description', 'path']);
        const result = validateParams(method, paramsOf(fixture));
        if (result.ok) expect.fail(`${file} was accepted`);
        expect(result.unknownMethod, file).to.equal(false);
        expect(result.errors[0]?.path, `${file}: ${JSON.stringify(result.errors)}`).to.equal(fixture.path);
        expect(result.errors[0]?.message, file).to.be.a('string').and.not.equal('');
      });
    }
  });
});

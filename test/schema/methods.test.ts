import { expect } from 'chai';
import { isMethodName, Methods, MethodTable, schemaStem, type MethodName } from '../../schemas/index.js';
import { listDir } from './repo.js';

const names = Object.keys(MethodTable) as MethodName[];

describe('Method table', () => {
  it('Methods and the table name the same methods, each once', () => {
    const values = Object.values(Methods);
    expect(new Set(values).size).to.equal(values.length);
    expect([...values].sort()).to.deep.equal([...names].sort());
  });

  it('every method has a params schema, and a result schema exactly when it is a request', () => {
    const expected = names.flatMap((name) => {
      const stem = schemaStem(name);
      return MethodTable[name].kind === 'request' ? [`${stem}.params.json`, `${stem}.result.json`] : [`${stem}.params.json`];
    });
    expect(listDir('schemas/methods')).to.deep.equal(expected.sort());
  });

  it('isMethodName knows every method and nothing else', () => {
    for (const name of names) expect(isMethodName(name), name).to.equal(true);
    for (const other of ['', 'session', 'session.open', 'toString', '__proto__', 'cell/run']) {
      expect(isMethodName(other), other).to.equal(false);
    }
  });

  it('schemaStem replaces every slash with a dot', () => {
    expect(schemaStem(Methods.sessionOpen)).to.equal('session.open');
    expect(schemaStem(Methods.cancelRequest)).to.equal('$.cancelRequest');
  });
});

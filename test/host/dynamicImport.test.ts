import { expect } from 'chai';
import { withHost } from '../support/rawHost.js';
import { execute, openSession, texts } from '../support/cells.js';
import { cellIn, openPersistent } from '../support/persistent.js';

describe('cells: dynamic import', function () {
  it('rejects import() with "Unsupported import in cell", naming the specifier, as a static import fails', () =>
    withHost(async (host) => {
      await openSession(host);
      const caught = await execute(host, {
        source: `try { await import('fs') } catch (e) { text(e.message) }
const name = 'node:' + 'child_process';
text(await import(name).then(() => 'loaded', (e) => e.message));
text(await import /* a comment */ ('x', { with: { type: 'json' } }).catch((e) => e.message));`,
      });
      expect(caught).to.deep.include({ status: 'completed', error: null });
      expect(texts(caught)).to.deep.equal([
        'Unsupported import in cell: fs',
        'Unsupported import in cell: node:child_process',
        'Unsupported import in cell: x',
      ]);
      const uncaught = await execute(host, { source: `text('before');\nawait import('fs');\ntext('after')` });
      expect(uncaught.status).to.equal('completed');
      expect(texts(uncaught)).to.deep.equal(['before']);
      expect(uncaught.error).to.match(/^Error: Unsupported import in cell: fs\n\s+at .*cell-2\.js:2/);
      // The word import elsewhere (strings, properties, comments) is left alone.
      const other = await execute(host, { source: `const o = { import: 'import(x)' }; // import('y')\ntext(o.import)` });
      expect(texts(other)).to.deep.equal(['import(x)']);
      const typescript = await execute(host, { source: `const m: Promise<unknown> = import('fs');\ntext(await m.catch((e: Error) => e.message))`, language: 'typescript' });
      expect(texts(typescript)).to.deep.equal(['Unsupported import in cell: fs']);
    }));

  it('rejects import() the same way in a persistent session, which keeps its realm', () =>
    withHost(async (host) => {
      const p = await openPersistent(host);
      expect(texts(await cellIn(host, p, `const kept = 1; await import('fs').catch((e) => e.message)`))).to.deep.equal(['Unsupported import in cell: fs']);
      const uncaught = await cellIn(host, p, `import('os')`);
      expect(uncaught.error).to.match(/^Error: Unsupported import in cell: os\n/);
      expect(texts(await cellIn(host, p, `kept + 1`))).to.deep.equal(['2']);
    }));
});

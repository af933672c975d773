import { expect } from 'chai';
import { GlobalNames } from '../../client/cli/repl/globalNames.js';
import { CodeModeClient, type CodeModeSession } from '../../client/index.js';

describe('repl Tab completion of global names', function () {
  this.timeout(30_000);
  let client: CodeModeClient;
  let session: CodeModeSession;
  const printed: string[] = [];
  let names: GlobalNames;
  let idle = true;

  before(async () => {
    client = new CodeModeClient({
      delegate: { invokeTool: () => null, cellOutput: (event) => (names.quiet(event.cellId) ? undefined : printed.push(event.cellId)) },
    });
    session = await client.openSession({ persistent: true });
    names = new GlobalNames(() => session, () => idle);
  });

  after(() => client.close());

  it('asks the realm, so names declared by earlier entries complete', async () => {
    await session.execute({ source: "text('shown'); const myVariable = 1; function myFunction() {}" });
    expect(await names.complete('text(myV')).to.deep.equal([['myVariable'], 'myV']);
    expect(await names.complete('my')).to.deep.equal([['myFunction', 'myVariable'], 'my']);
    expect((await names.complete('Mat'))[0]).to.include('Math');
    expect(printed).to.deep.equal(['1']);
  });

  it('offers nothing after a dot, or while a cell runs', async () => {
    expect(await names.complete('Math.')).to.deep.equal([[], '']);
    idle = false;
    expect(await names.complete('my')).to.deep.equal([[], 'my']);
    idle = true;
  });
});

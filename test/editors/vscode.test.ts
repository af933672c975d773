/** The VS Code extension snippet (vscode-jsonrpc) drives the host, run with plain Node. */
import { expect } from 'chai';
import { join } from 'node:path';
import { EXAMPLES, expectDocumented, expectFullConversation, runEditor } from './editorRun.js';

describe('editor client: VS Code extension (vscode-jsonrpc)', function () {
  this.timeout(60_000);

  it('runs examples/editors/vscode-extension.mjs: a tool call answered by onRequest, a cancelled request, a clean exit', async () => {
    const run = await runEditor(process.execPath, [join(EXAMPLES, 'vscode-extension.mjs')]);
    expect(run.code, run.stderr).to.equal(0);
    expectFullConversation(JSON.parse(run.stdout), run);
  });

  it('is the snippet docs/editors.md shows', () => expectDocumented('vscode-extension.mjs'));
});

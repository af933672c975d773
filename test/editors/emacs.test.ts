/** Emacs's built-in jsonrpc.el drives the host: framing, ids, reverse requests, cancellation. */
import { join } from 'node:path';
import { EXAMPLES, expectDocumented, expectFullConversation, requireEditor, runEditor } from './editorRun.js';

describe('editor client: Emacs (jsonrpc.el)', function () {
  this.timeout(60_000);

  it('runs examples/editors/emacs.el: a tool call answered by the request dispatcher, a cancelled request, a clean exit', async function () {
    requireEditor(this, 'emacs', 'apt-get install -y emacs-nox');
    const run = await runEditor('emacs', ['--batch', '-Q', '-l', join(EXAMPLES, 'emacs.el')]);
    expectFullConversation(run.result, run);
  });

  it('is the snippet docs/editors.md shows', () => expectDocumented('emacs.el'));
});

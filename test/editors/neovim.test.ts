/** Neovim's built-in JSON-RPC client (vim.lsp.rpc) drives the host: framing, ids, reverse requests, cancellation. */
import { join } from 'node:path';
import { EXAMPLES, expectDocumented, expectFullConversation, requireEditor, runEditor } from './editorRun.js';

describe('editor client: Neovim (vim.lsp.rpc)', function () {
  this.timeout(60_000);

  it('runs examples/editors/neovim.lua: a tool call answered from Lua, a cancelled request, a clean exit', async function () {
    requireEditor(this, 'nvim', 'apt-get install -y neovim');
    const run = await runEditor('nvim', ['--headless', '--clean', '-c', `luafile ${join(EXAMPLES, 'neovim.lua')}`]);
    expectFullConversation(run.result, run);
  });

  it('is the snippet docs/editors.md shows', () => expectDocumented('neovim.lua'));
});

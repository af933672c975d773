/**
 * codemode-host/mcp as a library: real MCP servers (the fixture and server-filesystem) as the
 * tools of cells run by a real host through CodeModeClient.
 */
import { expect } from 'chai';
import { join } from 'node:path';
import { CodeModeClient, type CellResponse, type CodeModeSession } from '../../client/index.js';
import { McpTools, readMcpConfig } from '../../client/mcp/index.js';
import { Workspace } from './peers.js';

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('MCP servers as tools (library)', function () {
  let workspace: Workspace;
  let mcp: McpTools;
  let client: CodeModeClient;
  let session: CodeModeSession;
  let stderr: string[];
  const stderrWatchers: { line: string; resolve: () => void }[] = [];
  const stderrLine = (line: string) => (stderr.includes(line) ? Promise.resolve() : new Promise<void>((resolve) => stderrWatchers.push({ line, resolve })));

  const run = (source: string): Promise<CellResponse> => session.execute({ source, tools: mcp.definitions() });
  const texts = (response: CellResponse) => response.items.map((item) => (item.type === 'text' ? item.text : `[image ${item.imageUrl}]`));

  beforeEach(async () => {
    workspace = new Workspace({ nope: { command: 'no-such-command-xyz', args: ['--flag'] } });
    stderr = [];
    mcp = await McpTools.connect(readMcpConfig(workspace.config), {
      onStderr: (server, line) => {
        stderr.push(`[${server}] ${line}`);
        for (const watcher of stderrWatchers.filter((w) => w.line === `[${server}] ${line}`)) watcher.resolve();
      },
    });
    client = new CodeModeClient({ delegate: { invokeTool: mcp.invokeTool } });
    session = await client.openSession();
  });

  afterEach(async () => {
    await client.close();
    await mcp.close();
    workspace.remove();
  });

  it('names a server that did not start; the others serve their tools under their names', () => {
    expect(mcp.failures.map((failure) => [failure.server, failure.message])).to.deep.equal([
      ['nope', 'MCP server "nope" did not start (no-such-command-xyz --flag): no such command "no-such-command-xyz"'],
    ]);
    const names = mcp.definitions().map((tool) => `${tool.namespace}/${tool.name}`);
    expect(names).to.include.members(['t/add', 't/wait_for_release', 'fs/read_text_file', 'fs/list_allowed_directories']);
    expect(names.filter((name) => name.startsWith('nope/'))).to.deep.equal([]);
    const add = mcp.definitions().find((tool) => tool.name === 'add')!;
    expect(add.description).to.equal('Adds two numbers.\n\n/** The tools this cell may call; each returns a promise of its result and rejects with the tool\'s error. */\ndeclare const tools: {\n  /** Adds two numbers. */\n  t__add(input: {\n    a: number;\n    b: number;\n  }): Promise<{\n    sum: number;\n  }>;\n};\n');
  });

  it("runs two servers' tools in parallel in one cell, with results converted", async () => {
    const file = join(workspace.files, 'a.txt');
    const response = await run(`
      const [released, read] = await Promise.all([
        tools.t__wait_for_release(),
        (async () => { const r = await tools.fs__read_text_file({ path: ${JSON.stringify(file)} }); await tools.t__release(); return r; })(),
      ]);
      text(released);
      text(read.content);
      text((await tools.t__add({ a: 2, b: 3 })).sum);
      text(await tools.t__json_text());
      const picture = await tools.t__picture();
      image(picture[0]);
      text(picture[1]);
    `);
    expect(response.error).to.equal(null);
    expect(response.status).to.equal('completed');
    expect(texts(response)).to.deep.equal(['released', 'alpha\n', '5', '{"ok":true}', `[image data:image/png;base64,${PNG}]`, '{"type":"text","text":"a pixel"}']);
  });

  it("rejects the cell's promise with a downstream tool's error text, and with invalid input before it is sent", async () => {
    const response = await run(`
      try { await tools.t__fail({ reason: 'disk on fire' }); } catch (e) { text(e.message); }
      try { await tools.t__add({ a: 1 }); } catch (e) { text(e.message); }
      try { await tools.fs__read_text_file({ path: '/etc/passwd' }); } catch (e) { text(e.message.split(':')[0]); }
      await tools.t__fail({ reason: 'uncaught' });
    `);
    expect(texts(response)).to.deep.equal(['it failed: disk on fire', "tools.t__add: input must have required property 'b'", 'Access denied - path outside allowed directories']);
    expect(response.error).to.match(/^Error: it failed: uncaught/);
  });

  it('fails the calls of a server that crashes mid-call, naming it, while another server goes on', async () => {
    const response = await run(`
      try { await tools.t__crash(); } catch (e) { text(e.message); }
      try { await tools.t__echo({ text: 'again' }); } catch (e) { text(e.message); }
      text((await tools.fs__list_allowed_directories()).content);
    `);
    const [during, after, allowed] = texts(response);
    expect(during).to.match(/^MCP server "t" closed its connection/);
    expect(during).to.match(/ \(during the call of crash\)$/);
    expect(after).to.match(/^MCP server "t" closed its connection/);
    expect(allowed).to.include(workspace.files);
    expect(mcp.failures.map((failure) => failure.server)).to.deep.equal(['t', 'nope']);
    expect(mcp.definitions().some((tool) => tool.namespace === 't')).to.equal(false);
  });

  it("follows a server's tools/list_changed", async () => {
    const changed = new Promise<void>((resolve) => mcp.onToolsChanged(() => mcp.definitions().some((t) => t.name === 'late') && resolve()));
    expect(texts(await run(`text(await tools.t__add_tool({ name: 'late' }))`))).to.deep.equal(['added']);
    await changed;
    expect(texts(await run(`text(await tools.t__late())`))).to.deep.equal(['late here']);
  });

  it("cancels the MCP request when the cell's call is cancelled", async () => {
    const first = await session.execute({ source: `text('calling'); const p = tools.t__hang(); yield_control(); await p;`, tools: mcp.definitions(), yieldTimeMs: 60_000 });
    expect(first.status).to.equal('yielded');
    await stderrLine('[t] hang started');
    const ended = await session.terminate(first.cellId);
    expect(ended.status).to.equal('terminated');
    await stderrLine('[t] hang cancelled');
    // The server is still up after the cancellation.
    expect(texts(await run(`text(await tools.t__echo({ text: 'still here' }))`))).to.deep.equal(['still here']);
  });
});

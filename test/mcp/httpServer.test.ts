/** An MCP server over Streamable HTTP as a cell's tools: the fixture server in its --http mode. */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { CodeModeClient } from '../../client/index.js';
import { McpTools, parseMcpConfig } from '../../client/mcp/index.js';
import { FIXTURE_SERVER } from './peers.js';

describe('MCP servers over Streamable HTTP', function () {
  let server: ChildProcess;
  let url: string;

  before(async () => {
    server = spawn(process.execPath, [FIXTURE_SERVER, '--http'], { stdio: ['ignore', 'pipe', 'inherit'] });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      server.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        const match = /listening (\S+)\n/.exec(out);
        if (match !== null) resolve(match[1]!);
      });
      server.once('exit', (code) => reject(new Error(`the HTTP fixture exited with ${code}`)));
    });
  });

  after(() => {
    server.kill();
  });

  it("calls an HTTP server's tools from a cell; an unreachable URL fails only its own server, by name", async () => {
    const servers = parseMcpConfig(JSON.stringify({ mcpServers: { web: { url }, down: { type: 'http', url: 'http://127.0.0.1:9/mcp' } } }), 'inline');
    const mcp = await McpTools.connect(servers);
    const client = new CodeModeClient({ delegate: { invokeTool: mcp.invokeTool } });
    try {
      expect(mcp.failures.map((failure) => failure.server)).to.deep.equal(['down']);
      expect(mcp.failures[0]!.message).to.match(/^MCP server "down" did not start \(http:\/\/127\.0\.0\.1:9\/mcp\): /);
      const session = await client.openSession();
      const response = await session.execute({
        source: `text((await tools.web__add({ a: 1, b: 2 })).sum); try { await tools.web__fail({ reason: 'over http' }); } catch (e) { text(e.message); }`,
        tools: mcp.definitions(),
      });
      expect(response.items).to.deep.equal([
        { type: 'text', text: '3' },
        { type: 'text', text: 'it failed: over http' },
      ]);
    } finally {
      await client.close();
      await mcp.close();
    }
  });
});

/** Bad MCP configurations get errors that name the problem: from the library, and from the CLI (exit status 2). */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { McpConfigError, parseMcpConfig } from '../../client/mcp/index.js';
import { runCli } from '../cli/cliProcess.js';
import { typeCheck } from './typeCheck.js';
import { FIXTURE_SERVER, Workspace } from './peers.js';

const problem = (text: string) => {
  try {
    parseMcpConfig(text, 'mcp.json');
  } catch (error) {
    expect(error).to.be.instanceOf(McpConfigError);
    return (error as Error).message;
  }
  return 'accepted';
};

describe('MCP configuration', () => {
  it('reads stdio and Streamable HTTP servers in the mcpServers format', () => {
    expect(
      parseMcpConfig(
        JSON.stringify({
          mcpServers: {
            files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { A: '1' }, cwd: '/' },
            remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer x' } },
            typed: { type: 'http', url: 'http://localhost:3000/mcp' },
          },
        }),
        'mcp.json',
      ),
    ).to.deep.equal([
      { kind: 'stdio', name: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: { A: '1' }, cwd: '/' },
      { kind: 'http', name: 'remote', url: new URL('https://example.com/mcp'), headers: { Authorization: 'Bearer x' } },
      { kind: 'http', name: 'typed', url: new URL('http://localhost:3000/mcp') },
    ]);
  });

  it('names what is wrong', () => {
    expect(problem('{"mcpServers": {')).to.match(/^MCP config mcp\.json is not valid JSON: /);
    expect(problem('{"servers": {}}')).to.equal('MCP config mcp.json has no "mcpServers" object: write {"mcpServers": {"<name>": {"command": ...}}}');
    expect(problem('{"mcpServers": {"a": {"command": "x"}, "b": {"command": "y"}, "a": {"command": "z"}}}')).to.equal('MCP config mcp.json names the server "a" twice');
    expect(problem('{"mcpServers": {"my-fs": {"command": "x"}, "my_fs": {"command": "y"}}}')).to.equal(
      'MCP config mcp.json: the servers "my-fs" and "my_fs" would both give tools named my_fs__<tool>; rename one',
    );
    expect(problem('{"mcpServers": {"a": {"args": []}}}')).to.equal('MCP config mcp.json, server "a": "command" must be a non-empty string');
    expect(problem('{"mcpServers": {"a": {"command": "x", "args": "y"}}}')).to.equal('MCP config mcp.json, server "a": "args" must be an array of strings');
    expect(problem('{"mcpServers": {"a": {"url": "not a url"}}}')).to.equal('MCP config mcp.json, server "a": "url" is not a valid URL: "not a url"');
    expect(problem('{"mcpServers": {"a": {"type": "sse", "url": "http://x/sse"}}}')).to.equal('MCP config mcp.json, server "a": the SSE transport is not supported; use a Streamable HTTP URL');
    expect(problem('{"mcpServers": {"a": {"command": "x", "env": {"A": 1}}}}')).to.equal('MCP config mcp.json, server "a": "env" must be an object of strings');
  });

  describe('on the command line', function () {
    let workspace: Workspace;
    beforeEach(() => (workspace = new Workspace()));
    afterEach(() => workspace.remove());

    it('a configuration that is not JSON, or names a server twice, is a usage error (exit 2)', async () => {
      const bad = join(workspace.dir, 'bad.json');
      writeFileSync(bad, '{"mcpServers": {"a": {"command": "x"},}}');
      const notJson = await runCli(['mcp', '--mcp-config', 'bad.json'], { cwd: workspace.dir });
      expect(notJson.code).to.equal(2);
      expect(notJson.stderr).to.match(/^codemode mcp: MCP config bad\.json is not valid JSON: .*\(see codemode mcp --help\)\n$/);
      writeFileSync(bad, `{"mcpServers": {"t": {"command": ${JSON.stringify(process.execPath)}}, "t": {"command": "y"}}}`);
      writeFileSync(join(workspace.dir, 'cell.js'), 'text(1)');
      const twice = await runCli(['run', 'cell.js', '--mcp-config', 'bad.json'], { cwd: workspace.dir });
      expect(twice.code).to.equal(2);
      expect(twice.stderr).to.equal('codemode run: MCP config bad.json names the server "t" twice (see codemode run --help)\n');
      const missing = await runCli(['tools', '--mcp-config', 'missing.json'], { cwd: workspace.dir });
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.match(/^codemode tools: cannot read MCP config missing\.json: ENOENT/);
    });

    it('an unknown command is reported by name and the other servers still serve (codemode tools, codemode run)', async () => {
      workspace.writeConfig({ t: { command: process.execPath, args: [FIXTURE_SERVER] }, ghost: { command: 'no-such-command-xyz' } });
      const tools = await runCli(['tools', '--mcp-config', workspace.config, '--detail', 'names']);
      expect(tools.code).to.equal(0);
      expect(tools.stderr).to.equal('codemode: MCP server "ghost" did not start (no-such-command-xyz): no such command "no-such-command-xyz"\n');
      expect(tools.stdout).to.include('  /** Adds two numbers. */\n  t__add(input?: any): Promise<any>;\n');
      writeFileSync(join(workspace.dir, 'cell.js'), 'text((await tools.t__add({ a: 20, b: 22 })).sum)');
      const run = await runCli(['run', 'cell.js', '--mcp-config', 'mcp.json'], { cwd: workspace.dir });
      expect(run.stdout).to.equal('42\n');
      expect(run.stderr).to.equal('codemode: MCP server "ghost" did not start (no-such-command-xyz): no such command "no-such-command-xyz"\ncompleted\n');
      expect(run.code).to.equal(0);
    });
  });
});

describe('codemode tools', () => {
  it("prints a tools module's declarations with the cell globals, as TypeScript that compiles", async () => {
    const result = await runCli(['tools', '--tools', 'examples/tools.mjs']);
    expect(result.code).to.equal(0);
    expect(result.stderr).to.equal('');
    expect(result.stdout).to.include('declare function text(value: unknown): void;');
    expect(result.stdout).to.match(/\n {2}add\(input\?: unknown\): Promise<unknown>;\n/);
    expect(typeCheck({ 'tools.d.ts': result.stdout, 'cell.ts': 'async function cell() { text(await tools.add({ a: 1, b: 2 })); }\nvoid cell;\n' })).to.deep.equal([]);
  });

  it('refuses an unknown --detail', async () => {
    const result = await runCli(['tools', '--detail', 'some']);
    expect(result.code).to.equal(2);
    expect(result.stderr).to.equal('codemode tools: --detail takes one of full, compact, names, auto, got "some" (see codemode tools --help)\n');
  });
});

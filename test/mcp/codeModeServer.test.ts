/**
 * `codemode mcp` as a user's MCP client sees it: the MCP SDK's client over stdio, with the
 * fixture server and server-filesystem downstream.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CallToolResultSchema, ToolListChangedNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { childPids, processExists } from '../cli/cliProcess.js';
import { CODEMODE, connectCodeMode, Workspace } from './peers.js';

/**
 * Cell code that waits until the test creates `path` (read through server-filesystem): cells of
 * the persistent session run one at a time, so no other execute can let it go on.
 */
const untilFile = (path: string) => `for (;;) { try { await tools.fs__read_text_file({ path: ${JSON.stringify(path)} }); break } catch {} }`;

const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';

describe('codemode mcp (code mode as an MCP server)', function () {
  let workspace: Workspace;
  let client: Client;
  let stderrLine: (text: string, occurrence?: number) => Promise<void>;

  const call = async (name: string, args: Record<string, unknown>, options: { onprogress?: (p: Progress) => void; signal?: AbortSignal } = {}) =>
    (await client.callTool({ name, arguments: args }, CallToolResultSchema, { ...options, timeout: 120_000 })) as CallToolResult;
  const texts = (result: CallToolResult) => result.content.map((block) => (block.type === 'text' ? block.text : `[${block.type}]`));

  // One connection for all: the tests share a session, as a model's calls do; none relies on another's state.
  before(async () => {
    workspace = new Workspace({ nope: { command: 'no-such-command-xyz' } });
    ({ client, stderrLine } = await connectCodeMode(workspace.config));
  });

  after(async () => {
    await client.close();
    workspace.remove();
  });

  it('lists execute, wait and terminate; execute carries the downstream declarations and names the server that is down', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).to.deep.equal(['execute', 'wait', 'terminate']);
    const execute = tools[0]!;
    expect(execute.inputSchema.required).to.deep.equal(['code']);
    expect(execute.description).to.include('  t__add(input: {\n    a: number;\n    b: number;\n  }): Promise<{\n    sum: number;\n  }>;');
    expect(execute.description).to.include('  fs__read_text_file(input: {');
    expect(execute.description).to.include('declare function store(key: string, value: unknown): void;');
    expect(execute.description).to.include('These MCP servers are not available:\n\n- MCP server "nope" did not start (no-such-command-xyz): no such command "no-such-command-xyz"');
  });

  it("runs a cell calling two servers' tools in parallel; output maps to text and image content", async () => {
    const result = await call('execute', {
      code: `
        const [released, read] = await Promise.all([
          tools.t__wait_for_release(),
          (async () => { const r = await tools.fs__read_text_file({ path: ${JSON.stringify(join(workspace.files, 'b.txt'))} }); await tools.t__release(); return r; })(),
        ]);
        text(released + ' ' + read.content.trim());
        image((await tools.t__picture())[0]);`,
    });
    expect(result.isError).to.equal(undefined);
    expect(result.content).to.deep.equal([
      { type: 'text', text: 'released beta' },
      { type: 'image', data: PNG, mimeType: 'image/png' },
    ]);
  });

  it('returns isError with the error of a cell that fails, e.g. on a downstream tool error', async () => {
    const result = await call('execute', { code: `text('before'); await tools.t__fail({ reason: 'no luck' });` });
    expect(result.isError).to.equal(true);
    expect(texts(result)[0]).to.equal('before');
    expect(texts(result)[1]).to.match(/^Error: it failed: no luck\n {4}at async cell-/);
  });

  it("gives a cell each tool's full declaration in ALL_TOOLS, for details on demand", async () => {
    const result = await call('execute', { code: `text(ALL_TOOLS.find((t) => t.name === 'fs__read_text_file').description)` });
    const [description] = texts(result);
    expect(description).to.match(/^Read the complete contents of a file/);
    expect(description).to.include('\n\n/** The tools this cell may call;');
    expect(description).to.include('  fs__read_text_file(input: {\n    path: string;');
  });

  it('keeps variables, functions and classes across execute calls: the session is persistent', async () => {
    const declared = texts(await call('execute', { code: `const rows = [1, 2, 3]; function total(xs) { return xs.reduce((a, b) => a + b, 0) } class Box { constructor(v) { this.v = v } }` }));
    expect(declared).to.have.length(1);
    expect(declared[0]).to.match(/^\(cell "\d+" completed with no output\)$/);
    expect(texts(await call('execute', { code: `new Box(total(rows)).v` }))).to.deep.equal(['6']);
  });

  it('keeps stored values across execute calls of one connection', async () => {
    expect(texts(await call('execute', { code: `store('answer', { n: 41 }); text('stored')` }))).to.deep.equal(['stored']);
    expect(texts(await call('execute', { code: `text(load('answer').n + 1)` }))).to.deep.equal(['42']);
  });

  it('returns a cell still running after timeoutMs with its id; another execute is refused; wait blocks until it ends', async () => {
    const go = join(workspace.files, 'go-wait.txt');
    const first = await call('execute', { code: `text('started'); ${untilFile(go)}; text('done')`, timeoutMs: 0 });
    expect(first.isError).to.equal(undefined);
    const notice = texts(first).at(-1)!;
    const cellId = /call wait with \{"cellId": "([^"]+)"\}/.exec(notice)?.[1];
    expect(cellId, notice).to.be.a('string');
    const busy = await call('execute', { code: `text('second')` });
    expect(busy.isError).to.equal(true);
    expect(texts(busy)).to.deep.equal([`Cell "${cellId}" is still running in this session: call wait with {"cellId": "${cellId}"} for it, or terminate it, then execute again.`]);
    writeFileSync(go, 'go');
    const done = await call('wait', { cellId });
    expect(done.isError).to.equal(undefined);
    expect([...texts(first).slice(0, -1), ...texts(done)]).to.deep.equal(['started', 'done']);
    const again = await call('wait', { cellId });
    expect(again.isError).to.equal(true);
    expect(texts(again)[0]).to.match(/^No running cell/);
  });

  it('terminates a running cell', async () => {
    const first = await call('execute', { code: `text('looping'); yield_control(); for (;;) {}` });
    const cellId = /"cellId": "([^"]+)"/.exec(texts(first).at(-1)!)?.[1];
    const ended = await call('terminate', { cellId });
    expect(ended.isError).to.equal(true);
    // Stopping running code discards the persistent session's variables, and the result says so.
    expect(texts(ended).at(-1)).to.equal(
      `[cell "${cellId}" was terminated: Session session-1 was reset (terminated: the cell was terminated while its code ran): its variables were lost. The next cell starts in a fresh realm; the store (load) is kept.]`,
    );
  });

  it('streams output as progress notifications when the caller sent a progress token', async () => {
    const progress: Progress[] = [];
    const go = join(workspace.files, 'go-progress.txt');
    const result = await call(
      'execute',
      { code: `text('first'); ${untilFile(go)}; text('second')` },
      {
        onprogress: (p) => {
          progress.push(p);
          // The first output arrived while the cell waits: let it finish.
          writeFileSync(go, 'go');
        },
      },
    );
    expect(texts(result)).to.deep.equal(['first', 'second']);
    expect(progress[0]).to.deep.include({ progress: 1, message: 'first' });
    expect(progress.map((p) => p.message).join('\n')).to.match(/^first(\nsecond)?$/);
  });

  it("sends a cell's notify() as a progress message, not as output", async () => {
    const progress: Progress[] = [];
    const go = join(workspace.files, 'go-notify.txt');
    const result = await call(
      'execute',
      { code: `notify('halfway'); ${untilFile(go)}; text('done')` },
      {
        onprogress: (p) => {
          progress.push(p);
          writeFileSync(go, 'go');
        },
      },
    );
    expect(texts(result)).to.deep.equal(['done']);
    expect(progress[0]).to.deep.include({ progress: 1, message: 'halfway' });
    expect(progress.map((p) => p.message).join('\n')).to.match(/^halfway(\ndone)?$/);
  });

  for (const [n, withProgress] of [[1, false], [2, true]] as const) {
    it(`cancelling an execute terminates its cell, which cancels the downstream MCP request (${withProgress ? 'with' : 'without'} a progress token)`, async () => {
      const abort = new AbortController();
      const options = withProgress ? { signal: abort.signal, onprogress: () => undefined } : { signal: abort.signal };
      const cancelled = call('execute', { code: `await tools.t__hang()` }, options).then(
        () => 'resolved',
        (error: Error) => error.name,
      );
      await stderrLine('[t] hang started', n);
      abort.abort();
      // The SDK rejects an aborted request with an McpError.
      expect(await cancelled).to.equal('McpError');
      await stderrLine('[t] hang cancelled', n);
      expect(texts(await call('execute', { code: `text(await tools.t__echo({ text: 'fine' }))` }))).to.deep.equal(['fine']);
    });
  }

  it('announces list_changed when a downstream server changes its tools, with the new tool in execute', async () => {
    const changed = new Promise<void>((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    await call('execute', { code: `await tools.t__add_tool({ name: 'late' })` });
    await changed;
    // codemode announces the change once it has listed the server's tools again.
    expect((await client.listTools()).tools[0]!.description).to.include('  t__late(input?: {');
    expect(texts(await call('execute', { code: `text(await tools.t__late())` }))).to.deep.equal(['late here']);
  });

  it('exits with status 0 when its client closes stdin, stopping the servers it started', async () => {
    const child = spawn(process.execPath, [CODEMODE, 'mcp', '--mcp-config', workspace.config], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    const started = new Promise<void>((resolve) =>
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
        stderr += chunk;
        // server-filesystem announces itself on stderr once it is up; the fixture server started before it answered.
        if (stderr.includes('[fs] Secure MCP Filesystem Server running on stdio')) resolve();
      }),
    );
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await started;
    const servers = childPids(child.pid!);
    expect(servers.length).to.be.at.least(2);
    child.stdin.end();
    expect(await exited).to.equal(0);
    expect(servers.filter(processExists)).to.deep.equal([]);
  });
});

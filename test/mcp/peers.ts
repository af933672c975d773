/** The MCP peers the tests start: the fixture server, server-filesystem over a temporary directory, and `codemode mcp`. */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT } from '../cli/cliProcess.js';

const require = createRequire(import.meta.url);
export const FIXTURE_SERVER = join(ROOT, 'test/fixtures/mcp/testServer.mjs');
/** server-filesystem's entry point, run with this Node: nothing is fetched at run time. */
export const FILESYSTEM_SERVER = join(dirname(require.resolve('@modelcontextprotocol/server-filesystem/package.json')), 'dist/index.js');
export const CODEMODE = join(ROOT, 'dist/client/cli/main.js');

/** A temporary directory holding files and an MCP config for the fixture server (`t`) and server-filesystem (`fs`). */
export class Workspace {
  readonly dir = mkdtempSync(join(tmpdir(), 'codemode-mcp-'));
  readonly files = join(this.dir, 'files');
  readonly config = join(this.dir, 'mcp.json');

  constructor(extraServers: Record<string, unknown> = {}) {
    mkdirSync(this.files);
    writeFileSync(join(this.files, 'a.txt'), 'alpha\n');
    writeFileSync(join(this.files, 'b.txt'), 'beta\n');
    this.writeConfig({
      t: { command: process.execPath, args: [FIXTURE_SERVER] },
      fs: { command: process.execPath, args: [FILESYSTEM_SERVER, this.files] },
      ...extraServers,
    });
  }

  writeConfig(servers: Record<string, unknown>): void {
    writeFileSync(this.config, JSON.stringify({ mcpServers: servers }, null, 2));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** `codemode mcp --mcp-config <config>` driven by the MCP SDK's own client; its stderr is collected. */
export async function connectCodeMode(
  config: string,
): Promise<{ client: Client; stderr: () => string; stderrLine: (text: string, occurrence?: number) => Promise<void> }> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [CODEMODE, 'mcp', '--mcp-config', config], stderr: 'pipe' });
  let stderr = '';
  const watchers: { text: string; occurrence: number; resolve: () => void }[] = [];
  const seen = (text: string, occurrence: number) => stderr.split(text).length > occurrence;
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const watcher of watchers.filter((w) => seen(w.text, w.occurrence))) watcher.resolve();
  });
  const client = new Client({ name: 'codemode-tests', version: '1.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => stderr,
    /** Resolves once stderr has held `text` `occurrence` times (default once). */
    stderrLine: (text, occurrence = 1) => (seen(text, occurrence) ? Promise.resolve() : new Promise((resolve) => watchers.push({ text, occurrence, resolve }))),
  };
}

/**
 * One MCP server, connected with the MCP SDK's Client over stdio or Streamable HTTP. It owns the
 * client and transport (and so the server's process), keeps the server's tool list current on
 * `notifications/tools/list_changed`, and turns start failures, crashes and a connection lost in
 * the middle of a call into McpServerErrors that name the server.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolResultSchema, ToolListChangedNotificationSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { StderrTail } from '../stderrTail.js';
import type { McpServerConfig } from './config.js';

/** A server that could not start, went away, or lost its connection during a call. */
export class McpServerError extends Error {
  readonly code = 'MCP_SERVER';

  constructor(
    readonly server: string,
    message: string,
  ) {
    super(message);
    this.name = 'McpServerError';
  }
}

/** The largest delay a timer takes: tool calls are bounded by the cell's limits and cancellation, not by the SDK's 60 s default. */
const NO_TIMEOUT_MS = 2_147_483_647;
/** A server that keeps handing out cursors is cut off here. */
const MAX_TOOL_PAGES = 100;

export interface ConnectionOptions {
  clientInfo: { name: string; version: string };
  onStderr?: (line: string) => void;
  onToolsChanged: () => void;
}

type State =
  | { kind: 'ready'; client: Client }
  | { kind: 'failed'; error: McpServerError }
  | { kind: 'closed' };

export class McpServerConnection {
  private state: State;
  private toolList: readonly Tool[] = [];
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;

  private constructor(
    readonly config: McpServerConfig,
    private readonly stderr: StderrTail,
    client: Client | undefined,
    error: McpServerError | undefined,
    private readonly options: ConnectionOptions,
  ) {
    this.state = client !== undefined ? { kind: 'ready', client } : { kind: 'failed', error: error! };
  }

  get name(): string {
    return this.config.name;
  }

  get tools(): readonly Tool[] {
    return this.state.kind === 'ready' ? this.toolList : [];
  }

  /** Why the server is not usable, or undefined while it is. */
  get failure(): McpServerError | undefined {
    return this.state.kind === 'failed' ? this.state.error : undefined;
  }

  /** Starts and initializes the server and lists its tools; never rejects: a failure is kept in `failure`. */
  static async connect(config: McpServerConfig, options: ConnectionOptions): Promise<McpServerConnection> {
    const stderr = new StderrTail(options.onStderr);
    const transport = createTransport(config, stderr);
    const client = new Client(options.clientInfo, { capabilities: {} });
    // Set once connected; a close before that is a start failure, reported by connect's rejection.
    const link: { connection?: McpServerConnection } = {};
    client.onclose = () => link.connection?.lost();
    try {
      await client.connect(transport);
    } catch (error) {
      await client.close().catch(() => undefined);
      return new McpServerConnection(config, stderr, undefined, new McpServerError(config.name, startFailure(config, error, stderr)), options);
    }
    const connection = new McpServerConnection(config, stderr, client, undefined, options);
    link.connection = connection;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => connection.refreshTools());
    try {
      connection.toolList = await listTools(client);
    } catch (error) {
      await connection.close();
      return new McpServerConnection(config, stderr, undefined, new McpServerError(config.name, `MCP server "${config.name}" failed to list its tools: ${messageOf(error)}`), options);
    }
    return connection;
  }

  /** Calls a tool; rejects with McpServerError when the server is gone or goes away meanwhile. */
  async callTool(name: string, args: Record<string, unknown> | undefined, signal: AbortSignal): Promise<unknown> {
    if (this.state.kind === 'failed') throw this.state.error;
    if (this.state.kind === 'closed') throw new McpServerError(this.name, `MCP server "${this.name}" is closed`);
    const { client } = this.state;
    try {
      return await client.request({ method: 'tools/call', params: args === undefined ? { name } : { name, arguments: args } }, CallToolResultSchema, {
        signal,
        timeout: NO_TIMEOUT_MS,
      });
    } catch (error) {
      if (signal.aborted) throw error;
      // The connection closed under the call: say so with the server's name and last words.
      const failure = this.failure;
      if (failure !== undefined) throw new McpServerError(this.name, `${failure.message} (during the call of ${name})`);
      throw error;
    }
  }

  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    if (state.kind === 'ready') await state.client.close().catch(() => undefined);
  }

  private lost(): void {
    if (this.state.kind !== 'ready') return;
    const tail = this.stderr.text();
    this.state = {
      kind: 'failed',
      error: new McpServerError(this.name, `MCP server "${this.name}" closed its connection${tail === '' ? '' : `; its stderr ended with:\n${tail}`}`),
    };
    this.options.onToolsChanged();
  }

  /** Lists again; notifications that arrive during a listing lead to one more listing after it. */
  private refreshTools(): Promise<void> {
    if (this.refreshing !== undefined) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.refreshAgain = false;
        if (this.state.kind !== 'ready') return;
        try {
          this.toolList = await listTools(this.state.client);
        } catch {
          // A failed listing keeps the last list; a lost server is reported through onclose.
        }
      } while (this.refreshAgain);
    })().finally(() => {
      this.refreshing = undefined;
      this.options.onToolsChanged();
    });
    return this.refreshing;
  }
}

function createTransport(config: McpServerConfig, stderr: StderrTail): Transport {
  if (config.kind === 'http') {
    return new StreamableHTTPClientTransport(config.url, config.headers === undefined ? {} : { requestInit: { headers: config.headers } });
  }
  const transport = new StdioClientTransport({
    command: config.command,
    args: config.args,
    ...(config.env === undefined ? {} : { env: config.env }),
    ...(config.cwd === undefined ? {} : { cwd: config.cwd }),
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
  transport.stderr?.on('end', () => stderr.end());
  return transport;
}

async function listTools(client: Client): Promise<Tool[]> {
  const tools: Tool[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_TOOL_PAGES; page++) {
    const result = await client.listTools(cursor === undefined ? undefined : { cursor });
    tools.push(...result.tools);
    cursor = result.nextCursor;
    if (cursor === undefined) break;
  }
  return tools;
}

function startFailure(config: McpServerConfig, error: unknown, stderr: StderrTail): string {
  const target = config.kind === 'http' ? config.url.href : [config.command, ...config.args].join(' ');
  const tail = stderr.text();
  const code = (error as { code?: unknown }).code;
  const reason = code === 'ENOENT' && config.kind === 'stdio' ? `no such command ${JSON.stringify(config.command)}` : messageOf(error);
  return `MCP server "${config.name}" did not start (${target}): ${reason}${tail === '' ? '' : `; its stderr ended with:\n${tail}`}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Code mode as an MCP server: the tools `execute`, `wait` and `terminate` over one code-mode
 * session per MCP connection, the cells calling the downstream MCP servers' tools. `execute`'s
 * description carries the downstream tools' TypeScript declarations and is republished (with
 * `notifications/tools/list_changed`) when they change.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, type CallToolResult, ListToolsRequestSchema, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, type CellResponse, type ContentItem, type SessionLimits } from '../../schemas/index.js';
import { CodeModeClient } from '../codeModeClient.js';
import { CodeModeError, RpcError } from '../errors.js';
import type { CodeModeSession } from '../session.js';
import { cellResult, progressText } from './cellContent.js';
import { CellProgress, type ProgressSink } from './cellProgress.js';
import type { McpTools } from './mcpTools.js';

/**
 * Default observation windows. Most MCP clients give a request 60 s before they give up on it,
 * so both stay below that; `wait` as long as that allows, so a model never polls in a loop.
 */
export const DEFAULT_EXECUTE_TIMEOUT_MS = 30_000;
export const DEFAULT_WAIT_TIMEOUT_MS = 50_000;

export interface CodeModeServerOptions {
  /** The downstream servers whose tools the cells call. */
  mcp: McpTools;
  /** The MCP connection to serve (for `codemode mcp`, a StdioServerTransport on the process's stdio). */
  transport: Transport;
  /** Limits of the session's cells. */
  limits?: SessionLimits;
  /** Program and arguments that start the code-mode host (default: this package's). */
  hostCommand?: string[];
  onHostStderr?: (line: string) => void;
}

/** Serves until the MCP connection closes, then closes the session and its host. */
export async function serveCodeMode(options: CodeModeServerOptions): Promise<void> {
  const { mcp } = options;
  const progress = new CellProgress();
  const client = new CodeModeClient({
    delegate: {
      invokeTool: mcp.invokeTool,
      // Defining this hook is what asks the host to stream output.
      cellOutput: (event) => progress.output(event.cellId, event.items),
      // A cell's notify() is news for whoever watches the cell: a progress message, not output.
      notify: (note) => progress.output(note.cellId, [{ type: 'text', text: note.text }]),
      cellClosed: (event) => progress.closed(event.cellId),
    },
    ...(options.hostCommand === undefined ? {} : { command: options.hostCommand }),
    ...(options.onHostStderr === undefined ? {} : { onStderr: options.onHostStderr }),
  });
  let session: Promise<CodeModeSession> | undefined;
  /** Settles once the cell of the last execute cancelled while observed has been terminated. */
  let stopping: Promise<void> = Promise.resolve();
  // One persistent session per MCP connection, opened by the first call that needs it: the
  // model's variables live on from one execute to the next, and its cells run one at a time.
  const openSession = () =>
    (session ??= client.openSession(options.limits === undefined ? { persistent: true } : { persistent: true, limits: options.limits }).catch((error: unknown) => {
      // A failed open (the host did not start) is tried again by the next call.
      session = undefined;
      throw error;
    }));

  const server = new Server(
    { name: 'codemode', version: '0.1.0' },
    {
      capabilities: { tools: { listChanged: true } },
      instructions:
        'Write JavaScript for the execute tool to call the other tools (declared in its description) in code: in loops, in parallel with Promise.all, keeping only what matters in the output.',
    },
  );
  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: codeModeTools(mcp) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const args = (request.params.arguments ?? {}) as Record<string, unknown>;
    const token = request.params._meta?.progressToken;
    let sent = 0;
    const sink: ProgressSink | undefined =
      token === undefined
        ? undefined
        : (items) => {
            sent += items.length;
            void extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: sent, message: progressText(items) } }).catch(() => undefined);
          };
    const call = { signal: extra.signal };
    try {
      switch (request.params.name) {
        case 'execute': {
          const code = requireString(args, 'code');
          const language = args.language === undefined ? 'javascript' : args.language;
          if (language !== 'javascript' && language !== 'typescript') throw new ArgumentError('language must be "javascript" or "typescript"');
          const yieldTimeMs = timeoutArgument(args, DEFAULT_EXECUTE_TIMEOUT_MS);
          const live = await openSession();
          // The session runs one cell at a time: a cell being stopped for a cancelled execute goes first.
          await stopping;
          const tools = mcp.definitions();
          if (sink === undefined) return cellResult(await live.execute({ source: code, language, tools, yieldTimeMs }, call));
          // The cell's id is needed to route its output: learn it at once, then observe.
          const started = progress.starts();
          let first: CellResponse;
          try {
            first = await live.execute({ source: code, language, tools, yieldTimeMs: 0 }, call);
          } finally {
            started();
          }
          if (first.status !== 'yielded') {
            progress.forget(first.cellId);
            return cellResult(first);
          }
          try {
            return await observe(live, first.cellId, yieldTimeMs, first.items, sink);
          } catch (error) {
            // A cancelled execute stops its cell, as the client does for an execute cancelled before it answered.
            if (extra.signal.aborted) stopping = live.terminate(first.cellId).then(() => undefined, () => undefined);
            throw error;
          }
        }
        case 'wait': {
          const cellId = requireString(args, 'cellId');
          const live = await openSession();
          const yieldTimeMs = timeoutArgument(args, DEFAULT_WAIT_TIMEOUT_MS);
          if (sink === undefined) return cellResult(await live.wait(cellId, { yieldTimeMs }, call));
          return await observe(live, cellId, yieldTimeMs, [], sink);
        }
        case 'terminate': {
          const cellId = requireString(args, 'cellId');
          return cellResult(await (await openSession()).terminate(cellId, call));
        }
        default:
          return failure(`Unknown tool ${JSON.stringify(request.params.name)}: this server has execute, wait and terminate.`);
      }
    } catch (error) {
      if (error instanceof ArgumentError) return failure(error.message);
      if (error instanceof RpcError && error.rpcCode === ErrorCode.SessionBusy) {
        const running = (error.data as { cellId: string }).cellId;
        return failure(`Cell "${running}" is still running in this session: call wait with {"cellId": "${running}"} for it, or terminate it, then execute again.`);
      }
      if (error instanceof CodeModeError) return failure(`${error.code}: ${error.message}`);
      throw error;
    }

    /** A wait on a running cell with its output streamed; what the execute already returned goes first. */
    async function observe(live: CodeModeSession, cellId: string, yieldTimeMs: number, before: readonly ContentItem[], progressSink: ProgressSink): Promise<CallToolResult> {
      const release = progress.claim(cellId, progressSink);
      try {
        const response = await live.wait(cellId, { yieldTimeMs }, call);
        return cellResult({ ...response, items: [...before, ...response.items] });
      } finally {
        release();
      }
    }
  });
  const unsubscribe = mcp.onToolsChanged(() => void server.sendToolListChanged().catch(() => undefined));

  const closed = new Promise<void>((resolve) => (server.onclose = resolve));
  await server.connect(options.transport);
  try {
    await closed;
  } finally {
    unsubscribe();
    await client.close();
  }
}

/** The three tools, execute's description carrying the downstream declarations. */
function codeModeTools(mcp: McpTools): Tool[] {
  const timeoutMs = (defaultMs: number, what: string) => ({
    type: 'integer',
    minimum: 0,
    description: `How long to ${what} before returning with the output so far (default ${defaultMs}). The cell goes on running.`,
  });
  const cellId = { type: 'string', description: 'The id an execute returned for a cell still running.' };
  return [
    {
      name: 'execute',
      description: executeDescription(mcp),
      inputSchema: {
        type: 'object',
        properties: {
          code: { type: 'string', description: 'The body of an async function: top-level await works; print with text() or console.log.' },
          language: { type: 'string', enum: ['javascript', 'typescript'], description: 'Default javascript.' },
          timeoutMs: timeoutMs(DEFAULT_EXECUTE_TIMEOUT_MS, 'wait for the cell'),
        },
        required: ['code'],
        additionalProperties: false,
      },
    },
    {
      name: 'wait',
      description: 'Waits for a cell that execute left running: returns its new output and, once it has ended, its result. Blocks until the cell ends or timeoutMs passes, so there is no need to call it in a tight loop.',
      inputSchema: { type: 'object', properties: { cellId, timeoutMs: timeoutMs(DEFAULT_WAIT_TIMEOUT_MS, 'wait') }, required: ['cellId'], additionalProperties: false },
    },
    {
      name: 'terminate',
      description: 'Stops a running cell (CPU-bound loops included) and returns its output and status.',
      inputSchema: { type: 'object', properties: { cellId }, required: ['cellId'], additionalProperties: false },
    },
  ];
}

function executeDescription(mcp: McpTools): string {
  const down = mcp.failures.map((error) => `- ${error.message.split('\n', 1)[0]}`).join('\n');
  return [
    'Runs JavaScript (or TypeScript) in a sandboxed V8 isolate and returns what it prints. The code is the body of an async function: use top-level await, call tools in parallel with Promise.all, print only what you need with text(value) or console.log. Nothing but the globals below exists (no require, fetch, fs or process). Top-level variables, functions and classes stay defined for later executes, and the value of a last expression is printed; one cell runs at a time. Values kept with store(key, value) survive even a reset of those variables: load(key).',
    'A cell still running after timeoutMs returns its output so far and its cellId; call wait to go on. A failed tool call rejects with the tool\'s error message.',
    'The cell\'s globals:',
    '```ts',
    mcp.declarations().trimEnd(),
    '```',
    ...(down === '' ? [] : ['These MCP servers are not available:', down]),
  ].join('\n\n');
}

class ArgumentError extends Error {}

function requireString(args: Record<string, unknown>, name: string): string {
  const value = args[name];
  if (typeof value !== 'string') throw new ArgumentError(`${name} must be a string`);
  return value;
}

function timeoutArgument(args: Record<string, unknown>, defaultMs: number): number {
  const value = args.timeoutMs;
  if (value === undefined) return defaultMs;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > 2_147_483_647) throw new ArgumentError('timeoutMs must be an integer number of milliseconds');
  return value;
}

function failure(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

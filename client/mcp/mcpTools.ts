/**
 * MCP servers as a cell's tools: every tool of every connected server becomes a ToolDefinition
 * (namespace = the server's name, so a cell calls `tools.<server>__<tool>`), and `invokeTool`
 * answers the cell's calls, fit to be a Delegate's `invokeTool`. One server failing to start or
 * crashing fails only its own tools.
 */
import type { ToolDefinition } from '../../schemas/index.js';
import { InputValidator } from '../declarations/inputValidation.js';
import { jsToolName } from '../declarations/names.js';
import { type ToolDeclarationOptions, toolDeclarations, withDeclarations } from '../declarations/toolDeclarations.js';
import type { ToolCall } from '../types.js';
import type { McpServerConfig } from './config.js';
import { McpServerConnection, type McpServerError } from './serverConnection.js';
import { toolResultValue, UNTYPED_RESULT } from './toolResult.js';

export interface McpToolsOptions {
  /** Check each call's input against the tool's inputSchema before it is sent (default true). */
  validateInput?: boolean;
  /** Each line a stdio server writes to its stderr (default: kept only for error messages). */
  onStderr?: (server: string, line: string) => void;
  /** How this client introduces itself to the servers. */
  clientInfo?: { name: string; version: string };
}

export class McpTools {
  private readonly listeners = new Set<() => void>();
  private validator: InputValidator | undefined;
  private cachedDefinitions: ToolDefinition[] | undefined;

  private connections: readonly McpServerConnection[] = [];

  private constructor(private readonly validateInput: boolean) {}

  /** Starts every server at once; resolves when each is connected or has failed (see `failures`). */
  static async connect(servers: readonly McpServerConfig[], options: McpToolsOptions = {}): Promise<McpTools> {
    const tools = new McpTools(options.validateInput ?? true);
    tools.connections = await Promise.all(
      servers.map((config) =>
        McpServerConnection.connect(config, {
          clientInfo: options.clientInfo ?? { name: 'codemode-host', version: '0.1.0' },
          onToolsChanged: () => tools.changed(),
          ...(options.onStderr === undefined ? {} : { onStderr: (line: string) => options.onStderr!(config.name, line) }),
        }),
      ),
    );
    return tools;
  }

  /** The servers that could not start or have gone away, each error naming its server. */
  get failures(): McpServerError[] {
    return this.connections.flatMap((connection) => (connection.failure === undefined ? [] : [connection.failure]));
  }

  /** The servers' names, in configuration order. */
  get serverNames(): string[] {
    return this.connections.map((connection) => connection.name);
  }

  /**
   * The tools of the servers that are up, for `session.execute({tools})`. Each description ends
   * with the tool's full TypeScript declaration, so a cell given compact declarations can read it
   * from `ALL_TOOLS`.
   */
  definitions(): ToolDefinition[] {
    this.cachedDefinitions ??= withDeclarations(this.plainDefinitions(), { untypedResult: UNTYPED_RESULT });
    return this.cachedDefinitions;
  }

  /** The tools of the servers that are up, with the descriptions the servers gave. */
  plainDefinitions(): ToolDefinition[] {
    return this.connections.flatMap((connection) =>
      connection.tools.map((tool): ToolDefinition => {
        const definition: ToolDefinition = { name: tool.name, namespace: connection.name, inputSchema: tool.inputSchema };
        if (tool.description !== undefined) definition.description = tool.description;
        if (tool.outputSchema !== undefined) definition.outputSchema = tool.outputSchema;
        return definition;
      }),
    );
  }

  /** TypeScript declarations of the tools and the cell globals, for a model's prompt. */
  declarations(options: ToolDeclarationOptions = {}): string {
    return toolDeclarations(this.plainDefinitions(), { untypedResult: UNTYPED_RESULT, ...options });
  }

  /** Called after a server's tool list changed or a server went away. Returns the unsubscribe. */
  onToolsChanged(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Answers a cell's call of an MCP tool: the value it resolves with, or a throw whose message the cell sees. */
  invokeTool = async (call: ToolCall, signal: AbortSignal): Promise<unknown> => {
    const jsName = jsToolName(call.tool);
    const connection = this.connection(call.tool.namespace);
    if (connection === undefined) throw new Error(`tools.${jsName}: no MCP server is named ${JSON.stringify(call.tool.namespace ?? '')}`);
    if (connection.failure !== undefined) throw connection.failure;
    const tool = connection.tools.find((t) => t.name === call.tool.name);
    if (tool === undefined) throw new Error(`tools.${jsName}: MCP server "${connection.name}" has no tool named ${JSON.stringify(call.tool.name)}`);
    const input = call.input ?? undefined;
    if (input !== undefined && (typeof input !== 'object' || Array.isArray(input))) {
      throw new Error(`tools.${jsName}: MCP tools take an object as input, got ${Array.isArray(input) ? 'an array' : typeof input}`);
    }
    if (this.validateInput) (this.validator ??= new InputValidator(this.definitions())).check(call.tool, input ?? {});
    const result = await connection.callTool(call.tool.name, input as Record<string, unknown> | undefined, signal);
    return toolResultValue(result as object, tool.outputSchema);
  };

  /** Closes every server (stdio servers' processes end). */
  async close(): Promise<void> {
    this.listeners.clear();
    await Promise.all(this.connections.map((connection) => connection.close()));
  }

  private connection(namespace: string | null | undefined): McpServerConnection | undefined {
    return this.connections.find((connection) => connection.name === namespace);
  }

  private changed(): void {
    this.cachedDefinitions = undefined;
    this.validator = undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // One listener's failure must not keep the others from hearing of the change.
      }
    }
  }
}

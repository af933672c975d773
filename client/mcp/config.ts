/**
 * The `mcpServers` configuration MCP clients share (Claude Desktop, Cursor, VS Code...):
 *
 *   { "mcpServers": { "<name>": { "command": "npx", "args": [...], "env": {...}, "cwd": "..." },
 *                     "<name>": { "url": "https://host/mcp", "headers": {...} } } }
 *
 * Every mistake is an McpConfigError naming the file, the server and what is wrong.
 */
import { readFileSync } from 'node:fs';
import { jsToolName } from '../declarations/names.js';
import { duplicateKeys } from './jsonKeys.js';

export interface StdioServerConfig {
  kind: 'stdio';
  name: string;
  command: string;
  args: string[];
  env?: Record<string, string>;
  cwd?: string;
}

export interface HttpServerConfig {
  kind: 'http';
  name: string;
  url: URL;
  headers?: Record<string, string>;
}

export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export class McpConfigError extends Error {
  readonly code = 'MCP_CONFIG';

  constructor(message: string) {
    super(message);
    this.name = 'McpConfigError';
  }
}

/** Reads and checks a configuration file. */
export function readMcpConfig(path: string): McpServerConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new McpConfigError(`cannot read MCP config ${path}: ${(error as Error).message}`);
  }
  return parseMcpConfig(text, path);
}

/** Checks a configuration's text; `source` names it in errors. */
export function parseMcpConfig(text: string, source: string): McpServerConfig[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new McpConfigError(`MCP config ${source} is not valid JSON: ${(error as Error).message}`);
  }
  // JSON.parse keeps the last of two equal keys: a server would vanish without a word.
  const duplicate = duplicateKeys(text).find((key) => key.path.length === 2 && key.path[0] === 'mcpServers');
  if (duplicate !== undefined) throw new McpConfigError(`MCP config ${source} names the server ${JSON.stringify(duplicate.path[1])} twice`);
  if (!isRecord(document) || !isRecord(document.mcpServers)) {
    throw new McpConfigError(`MCP config ${source} has no "mcpServers" object: write {"mcpServers": {"<name>": {"command": ...}}}`);
  }
  const servers = Object.entries(document.mcpServers).map(([name, entry]) => serverConfig(name, entry, source));
  const namespaces = new Map<string, string>();
  for (const { name } of servers) {
    const namespace = jsToolName({ name: '' , namespace: name });
    const other = namespaces.get(namespace);
    if (other !== undefined) {
      throw new McpConfigError(`MCP config ${source}: the servers ${JSON.stringify(other)} and ${JSON.stringify(name)} would both give tools named ${namespace}<tool>; rename one`);
    }
    namespaces.set(namespace, name);
  }
  return servers;
}

function serverConfig(name: string, entry: unknown, source: string): McpServerConfig {
  const where = `MCP config ${source}, server ${JSON.stringify(name)}`;
  if (name === '') throw new McpConfigError(`MCP config ${source}: a server has an empty name`);
  if (!isRecord(entry)) throw new McpConfigError(`${where}: expected an object with "command" or "url"`);
  if (entry.disabled === true) throw new McpConfigError(`${where}: disabled servers are not supported; remove the entry`);
  const type = entry.type ?? (entry.url !== undefined ? 'http' : 'stdio');
  if (type === 'sse') throw new McpConfigError(`${where}: the SSE transport is not supported; use a Streamable HTTP URL`);
  if (type === 'http' || type === 'streamable-http' || type === 'streamableHttp') {
    if (typeof entry.url !== 'string') throw new McpConfigError(`${where}: "url" must be a string`);
    let url: URL;
    try {
      url = new URL(entry.url);
    } catch {
      throw new McpConfigError(`${where}: "url" is not a valid URL: ${JSON.stringify(entry.url)}`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new McpConfigError(`${where}: "url" must be http: or https:`);
    const headers = stringRecord(entry.headers, `${where}: "headers"`);
    return headers === undefined ? { kind: 'http', name, url } : { kind: 'http', name, url, headers };
  }
  if (type !== 'stdio') throw new McpConfigError(`${where}: unknown "type" ${JSON.stringify(type)}; use "stdio" or "http"`);
  if (typeof entry.command !== 'string' || entry.command === '') throw new McpConfigError(`${where}: "command" must be a non-empty string`);
  const args = entry.args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) throw new McpConfigError(`${where}: "args" must be an array of strings`);
  if (entry.cwd !== undefined && typeof entry.cwd !== 'string') throw new McpConfigError(`${where}: "cwd" must be a string`);
  const config: StdioServerConfig = { kind: 'stdio', name, command: entry.command, args };
  const env = stringRecord(entry.env, `${where}: "env"`);
  if (env !== undefined) config.env = env;
  if (typeof entry.cwd === 'string') config.cwd = entry.cwd;
  return config;
}

function stringRecord(value: unknown, what: string): Record<string, string> | undefined {
  if (value === undefined) return undefined;
  if (!isRecord(value) || !Object.values(value).every((v) => typeof v === 'string')) throw new McpConfigError(`${what} must be an object of strings`);
  return value as Record<string, string>;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

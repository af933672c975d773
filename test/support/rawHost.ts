/**
 * A deliberately independent JSON-RPC client for tests: it spawns the real host, writes frames by
 * hand and parses stdout by hand, so host tests never go through the code they are testing.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HOST_ENTRY = fileURLToPath(new URL('../../server/main.js', import.meta.url));

export type JsonRpcId = number | string | null;
export interface Message {
  jsonrpc?: string;
  id?: JsonRpcId;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string; data?: Record<string, any> };
}

type Waiter = { match: (m: Message | Message[]) => boolean; resolve: (m: Message | Message[]) => void; reject: (e: Error) => void; timer: NodeJS.Timeout; what: string };

/** Answers host-to-client requests; return the result, or throw {code, message} for an error. */
export type DelegateHandler = (message: Message) => unknown;

export class RawHost {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every message the host wrote, in order (batches as arrays). */
  readonly received: Array<Message | Message[]> = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private buffer = Buffer.alloc(0);
  private waiters: Waiter[] = [];
  private nextId = 1;
  delegate: DelegateHandler | undefined;

  /** `options.entry`: another build's host entry (a copy of dist/ beside other node_modules). */
  constructor(args: string[] = [], options: { env?: NodeJS.ProcessEnv; entry?: string } = {}) {
    this.child = spawn(process.execPath, [options.entry ?? HOST_ENTRY, ...args], { stdio: 'pipe', env: options.env ?? process.env });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.child.stdin.on('error', () => {});
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** A host that has answered initialize. */
  static async start(args: string[] = [], capabilities: Record<string, unknown> = {}): Promise<RawHost> {
    const host = new RawHost(args);
    const response = await host.request('initialize', { protocolVersion: 1, clientInfo: { name: 'raw-test' }, capabilities });
    if (response.error) throw new Error(`initialize failed: ${JSON.stringify(response.error)}`);
    host.notify('initialized', {});
    return host;
  }

  writeRaw(bytes: string | Buffer): void {
    this.child.stdin.write(bytes);
  }

  /** Frames `body` (a value, or raw text) with a correct Content-Length. */
  send(body: unknown): void {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    this.writeRaw(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  /** Sends a request and resolves with its response (result or error). */
  request(method: string, params?: unknown, id: JsonRpcId = this.nextId++, timeoutMs = 15_000): Promise<Message> {
    const waiting = this.waitFor((m) => !Array.isArray(m) && m.id === id && m.method === undefined, `response to ${method} (id ${JSON.stringify(id)})`, timeoutMs);
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return waiting as Promise<Message>;
  }

  /** The result of a request; fails the test with the error otherwise. */
  async call<T = any>(method: string, params?: unknown, timeoutMs?: number): Promise<T> {
    const response = await this.request(method, params, undefined, timeoutMs);
    if (response.error) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result as T;
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /** Resolves with the first message (already received or future) matching `match`. */
  waitFor(match: (m: Message | Message[]) => boolean, what: string, timeoutMs = 15_000, fromIndex = 0): Promise<Message | Message[]> {
    const seen = this.received.slice(fromIndex).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve,
        reject,
        what,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; stderr:\n${this.stderr}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** The first notification `method` (optionally matching `params`). */
  notification(method: string, match: (params: any) => boolean = () => true, timeoutMs?: number): Promise<Message> {
    return this.waitFor((m) => !Array.isArray(m) && m.method === method && m.id === undefined && match(m.params), `notification ${method}`, timeoutMs) as Promise<Message>;
  }

  /** Messages received so far that are notifications named `method`. */
  notificationsOf(method: string): Message[] {
    return this.received.filter((m): m is Message => !Array.isArray(m) && m.method === method && m.id === undefined);
  }

  /**
   * Resolves once stderr matches `pattern`. Log lines come on another pipe than responses, so a
   * line written before a response may still arrive after it.
   */
  stderrMatching(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    if (pattern.test(this.stderr)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = () => {
        if (!pattern.test(this.stderr)) return;
        done();
        resolve();
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for stderr to match ${pattern}; stderr:\n${this.stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.child.stderr.off('data', check);
      };
      this.child.stderr.on('data', check);
    });
  }

  /** Closes stdin (EOF) and waits for the exit. */
  async end(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.stdin.end();
    return this.exited;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buffer.subarray(0, headerEnd).toString('ascii');
      const match = /Content-Length: (\d+)/i.exec(header);
      if (match === null) throw new Error(`host wrote a frame without Content-Length: ${header}`);
      const length = Number(match[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const body = this.buffer.subarray(start, start + length).toString('utf8');
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(JSON.parse(body) as Message | Message[]);
    }
  }

  private dispatch(message: Message | Message[]): void {
    this.received.push(message);
    if (!Array.isArray(message) && message.method !== undefined && message.id !== undefined && this.delegate !== undefined) {
      void this.answer(message, this.delegate);
    }
    for (const waiter of [...this.waiters]) {
      if (!waiter.match(message)) continue;
      clearTimeout(waiter.timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
      waiter.resolve(message);
    }
  }

  private async answer(message: Message, handler: DelegateHandler): Promise<void> {
    try {
      const result = await handler(message);
      if (result === NO_ANSWER) return;
      this.send({ jsonrpc: '2.0', id: message.id, result });
    } catch (error) {
      const { code = -32000, message: text = String(error) } = error as { code?: number; message?: string };
      this.send({ jsonrpc: '2.0', id: message.id, error: { code, message: text } });
    }
  }
}

/** Returned by a DelegateHandler to leave a request unanswered. */
export const NO_ANSWER = Symbol('no answer');

/** Runs `body` with a started host and always kills the child afterwards. */
export async function withHost<T>(body: (host: RawHost) => Promise<T>, args: string[] = [], capabilities: Record<string, unknown> = {}): Promise<T> {
  const host = await RawHost.start(args, capabilities);
  try {
    return await body(host);
  } finally {
    host.kill();
    await host.exited;
  }
}

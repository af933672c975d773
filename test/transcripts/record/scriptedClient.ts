/**
 * The client side of a recorded scenario: writes frames into the recorder's stdin and reads the
 * host's frames from the recorder's stdout. Written by hand (not through client/) so the suite
 * records exactly the bytes a scenario chose, malformed ones included.
 */
import type { PassThrough } from 'node:stream';

export type Message = { jsonrpc?: string; id?: any; method?: string; params?: any; result?: any; error?: { code: number; message: string; data?: any } } & Record<string, any>;

/** How long a scenario waits for any one host message before giving up. */
const WAIT_MS = 15_000;

interface Waiter {
  match: (message: Message) => boolean;
  resolve: (message: Message) => void;
}

export class ScriptedClient {
  private nextId = 1;
  private buffer = Buffer.alloc(0);
  /** Host messages not yet taken by a wait, in arrival order. */
  private readonly unclaimed: Message[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly toHost: PassThrough,
    fromHost: PassThrough,
  ) {
    fromHost.on('data', (bytes: Buffer) => this.onData(bytes));
  }

  send(message: unknown): void {
    this.sendBody(JSON.stringify(message));
  }

  sendBody(text: string): void {
    this.sendRaw(`Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  }

  sendRaw(bytes: string): void {
    this.toHost.write(Buffer.from(bytes, 'utf8'));
  }

  notify(method: string, params?: unknown): void {
    this.send(params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params });
  }

  /** Sends a request now; the promise is its response. `params` undefined leaves the key out. */
  request(method: string, params?: unknown, id: number | string = this.nextId++): Promise<Message> {
    const response = this.waitFor((m) => m.method === undefined && m.id === id, `the response to ${method} (id ${id})`);
    this.send(params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params });
    return response;
  }

  /** The result of a request; throws on an error response. */
  async call(method: string, params?: unknown): Promise<any> {
    const response = await this.request(method, params);
    if (response.error !== undefined) throw new Error(`${method} failed: ${JSON.stringify(response.error)}`);
    return response.result;
  }

  /** The next host request `method` (optionally whose params satisfy `match`). */
  hostRequest(method: string, match: (params: any) => boolean = () => true): Promise<Message> {
    return this.waitFor((m) => m.method === method && m.id !== undefined && match(m.params), `host request ${method}`);
  }

  notification(method: string, match: (params: any) => boolean = () => true): Promise<Message> {
    return this.waitFor((m) => m.method === method && m.id === undefined && match(m.params), `notification ${method}`);
  }

  answer(request: Message, result: unknown): void {
    this.send({ jsonrpc: '2.0', id: request.id, result });
  }

  answerError(request: Message, code: number, message: string): void {
    this.send({ jsonrpc: '2.0', id: request.id, error: { code, message } });
  }

  /** Takes the first unclaimed host message (already received or future) matching `match`. */
  waitFor(match: (message: Message) => boolean, what: string): Promise<Message> {
    const index = this.unclaimed.findIndex(match);
    if (index >= 0) return Promise.resolve(this.unclaimed.splice(index, 1)[0] as Message);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`scenario timed out waiting for ${what}`));
      }, WAIT_MS);
      const waiter: Waiter = {
        match,
        resolve: (message) => {
          clearTimeout(timer);
          resolve(message);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Closes the host's stdin. */
  end(): void {
    this.toHost.end();
  }

  private onData(bytes: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, bytes]);
    for (;;) {
      const headerEnd = this.buffer.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString('latin1'))?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.deliver(message);
    }
  }

  private deliver(message: Message): void {
    for (const waiter of this.waiters) {
      if (!waiter.match(message)) continue;
      this.waiters.delete(waiter);
      return waiter.resolve(message);
    }
    this.unclaimed.push(message);
  }
}

/** initialize (with `capabilities`) and initialized. */
export async function start(client: ScriptedClient, capabilities?: Record<string, unknown>): Promise<void> {
  await client.call('initialize', capabilities === undefined ? { protocolVersion: 1 } : { protocolVersion: 1, capabilities });
  client.notify('initialized', {});
}

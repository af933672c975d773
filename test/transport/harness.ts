/** A scripted client for the host transport: raw frames in, parsed messages out, over PassThrough streams. */
import { PassThrough } from 'node:stream';
import { ResponseError, type CancellationToken } from 'vscode-jsonrpc/node';
import { handingOver, type Handover } from '../../server/handover.js';
import type { Logger } from '../../server/log.js';
import { FrameParser } from '../../schemas/frameParser.js';
import { createHostTransport, type HostTransport, type HostTransportOptions } from '../../server/transport/hostTransport.js';

export function frame(body: string | Buffer): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return Buffer.concat([Buffer.from(`Content-Length: ${bytes.length}\r\n\r\n`, 'latin1'), bytes]);
}

export interface LogLine {
  level: keyof Logger;
  message: string;
}

export function recordingLogger(lines: LogLine[]): Logger {
  const at = (level: keyof Logger) => (message: string) => void lines.push({ level, message });
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

type Json = any;

/**
 * Host side: a transport with an echo-style star handler (`handover` answers a result carrying a
 * Handover, as a cell's result does, and records the writer's rulings). Client side:
 * `send`/`sendRaw` frames and `next()` the host's messages in order.
 */
export class Peer {
  readonly input = new PassThrough();
  readonly output = new PassThrough();
  readonly log: LogLine[] = [];
  readonly transport: HostTransport;
  private readonly received: Json[] = [];
  private readonly waiters: ((message: Json) => void)[] = [];
  /** The writer's rulings on `handover` results, in order: `<cellId> sent` or `<cellId> refused`. */
  readonly rulings: string[] = [];
  /** Keys of `hold` requests whose handler ran, in order. */
  readonly started: string[] = [];
  private readonly holds = new Map<string, () => void>();
  private readonly releasedEarly = new Set<string>();

  constructor(options: Partial<Omit<HostTransportOptions, 'input' | 'output' | 'logger'>> = {}) {
    this.transport = createHostTransport({
      input: this.input,
      output: this.output,
      maxMessageBytes: options.maxMessageBytes ?? 1 << 20,
      maxInFlightRequests: options.maxInFlightRequests ?? 256,
      logger: recordingLogger(this.log),
    });
    const parser = new FrameParser(Number.MAX_SAFE_INTEGER, {
      frame: (body) => this.deliver(JSON.parse(body.toString('utf8'))),
      oversize: () => {
        throw new Error('unreachable');
      },
      fatal: (error) => {
        throw error;
      },
    });
    this.output.on('data', (chunk: Buffer) => parser.push(chunk));
    this.transport.connection.onRequest((method, params, token) => this.handle(method, params, token));
    this.transport.listen();
  }

  send(message: Json): void {
    this.input.write(frame(JSON.stringify(message)));
  }

  sendRaw(bytes: string | Buffer): void {
    this.input.write(bytes);
  }

  /** The host's next message on stdout. */
  next(): Promise<Json> {
    const message = this.received.shift();
    if (message !== undefined) return Promise.resolve(message);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Resolves with whatever arrived within `ms` and was not taken. */
  async pending(ms = 30): Promise<Json[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.received.splice(0);
  }

  /** Lets the `hold` request with this key return (now, or as soon as its handler runs). */
  release(key: string): void {
    const release = this.holds.get(key);
    if (release) release();
    else this.releasedEarly.add(key);
  }

  dispose(): void {
    this.transport.dispose();
  }

  private deliver(message: Json): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(message);
    else this.received.push(message);
  }

  private handover(cellId: string): Handover {
    return { cellId, what: 'result', sent: () => this.rulings.push(`${cellId} sent`), refused: () => this.rulings.push(`${cellId} refused`) };
  }

  private async handle(method: string, params: Json, token: CancellationToken): Promise<unknown> {
    switch (method) {
      case 'echo':
        return params === undefined ? 'no params' : params;
      case 'nothing':
        return undefined;
      case 'big':
        return 'x'.repeat(params.size);
      case 'handover':
        return handingOver({ text: 'x'.repeat(params.size) }, this.handover(params.cellId));
      case 'hold':
        this.started.push(params.key);
        await new Promise<void>((resolve) => {
          if (this.releasedEarly.delete(params.key)) resolve();
          this.holds.set(params.key, resolve);
          token.onCancellationRequested(() => resolve());
        });
        this.holds.delete(params.key);
        return token.isCancellationRequested ? 'cancelled' : `released ${params.key}`;
      default:
        throw new ResponseError(-32601, `Unknown method ${method}`, { kind: 'MethodNotFound' });
    }
  }
}

export const request = (id: Json, method: string, params?: Json) =>
  params === undefined ? { jsonrpc: '2.0', id, method } : { jsonrpc: '2.0', id, method, params };
export const notification = (method: string, params?: Json) =>
  params === undefined ? { jsonrpc: '2.0', method } : { jsonrpc: '2.0', method, params };
export const result = (id: Json, value: Json) => ({ jsonrpc: '2.0', id, result: value });

/**
 * Reads the host's frames from its stdout and hands the messages to the listener in arrival
 * order, every message already read in the same turn, so the answers they produce leave in one
 * write (vscode-jsonrpc's reader and connection hand over one message per setImmediate).
 *
 * One rule keeps what one message per turn guaranteed: a turn ends after a response to one of
 * the client's requests, and the messages read after it wait for the next turn. Settling a
 * request's promise only queues its continuation, so without the break a `cell/closed` read
 * together with its execute's response would reach the delegate's `cellClosed` before the caller
 * of `execute` saw the response (docs/protocol.md: a client learns a cell id from its execute
 * response first). Requests and notifications, the bulk of a burst of tool calls, never end a turn.
 *
 * A header that cannot be parsed or a body that is not JSON is reported as an error once the
 * messages read before it were handed over; nothing more is read: the stream cannot be
 * resynchronised.
 */
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader } from 'vscode-jsonrpc/node';
import { FrameParser } from '../schemas/frameParser.js';

/** `handing` while messages are being handed over, `waiting` for the turn after a response. */
type QueueState = { kind: 'idle' } | { kind: 'handing' } | { kind: 'waiting' };

export class FrameReader extends AbstractMessageReader implements MessageReader {
  private state: QueueState = { kind: 'idle' };
  /** Messages read and not yet handed over: `queue[next]` onwards. */
  private queue: Message[] = [];
  private next = 0;
  private failure: Error | undefined;
  private failureReported = false;
  private callback: DataCallback = () => {};

  constructor(private readonly stream: Readable) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    this.callback = callback;
    // The client does not limit what the host sends: the host's own writer enforces maxMessageBytes.
    const parser = new FrameParser(Number.MAX_SAFE_INTEGER, {
      frame: (body) => this.parse(body),
      oversize: () => {},
      fatal: (error) => (this.failure ??= error),
    });
    const onData = (chunk: Buffer): void => {
      if (this.failure !== undefined) return;
      parser.push(chunk);
      if (this.state.kind === 'idle') this.handOver();
    };
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.stream.on('data', onData).on('error', onError).on('close', onClose);
    return {
      dispose: () => {
        this.stream.off('data', onData).off('error', onError).off('close', onClose);
        this.callback = () => {};
      },
    };
  }

  private parse(body: Buffer): void {
    if (this.failure !== undefined) return;
    try {
      this.queue.push(JSON.parse(body.toString('utf8')) as Message);
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Hands over queued messages until the queue is empty or a response ends the turn. */
  private handOver(): void {
    this.state = { kind: 'handing' };
    const queue = this.queue;
    while (this.next < queue.length) {
      const message = queue[this.next++]!;
      this.callback(message);
      if (isResponse(message) && this.next < queue.length) {
        this.state = { kind: 'waiting' };
        setImmediate(this.resume);
        return;
      }
    }
    this.queue = [];
    this.next = 0;
    this.state = { kind: 'idle' };
    if (this.failure !== undefined && !this.failureReported) {
      this.failureReported = true;
      this.fireError(this.failure);
    }
  }

  private readonly resume = (): void => this.handOver();
}

/** Anything but a request or notification; what is not a JSON-RPC object at all is the guard's to refuse. */
function isResponse(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { method?: unknown }).method === undefined;
}

/**
 * The host's MessageWriter: serializes each message once, enforces `maxMessageBytes` on the way
 * out, releases in-flight ids as their responses are written, and assembles batch replies.
 *
 * Over the limit: a response is replaced by a -32031 error for the same id (a response that hands
 * over a cell's result or output tells the cell, which keeps it: server/handover.ts); a request makes
 * `write()` reject, which vscode-jsonrpc turns into a -32099 rejection of that `sendRequest`
 * carrying our message; a notification is dropped with a log line.
 *
 * `write()` of a response resolves at once (see writeResponse); of a request or notification,
 * once the stream has taken the frame, so a failed write rejects that call.
 */
import type { Writable } from 'node:stream';
import type { MessageWriter, NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-jsonrpc';
import { AbstractMessageWriter, Message } from '../jsonRpc.js';
import { handoverOf, type Handover } from '../handover.js';
import type { Logger } from '../log.js';
import { arrayBytes, type BatchReply } from './batchReply.js';
import { transportError, type ErrorResponse, type JsonRpcId } from './errorResponses.js';
import { FrameOutput } from './frameOutput.js';
import type { InFlightRequests } from './inFlightRequests.js';
import type { OutgoingRequests } from './outgoingRequests.js';
import { serialize, type Serialized } from './serialized.js';
import { WriteGroup } from '../../schemas/writeGroup.js';

export interface HostMessageWriterOptions {
  output: Writable;
  maxMessageBytes: number;
  inFlight: InFlightRequests;
  outgoing: OutgoingRequests;
  logger: Logger;
}

const ignore = () => {};

export class HostMessageWriter extends AbstractMessageWriter implements MessageWriter {
  private readonly output: FrameOutput;
  private readonly maxMessageBytes: number;
  private readonly inFlight: InFlightRequests;
  private readonly outgoing: OutgoingRequests;
  private readonly logger: Logger;
  /** Requests whose write fails are forgotten: no answer can come. */
  private readonly written = new WriteGroup<JsonRpcId>((ids) => ids.forEach((id) => this.outgoing.settle(id)));

  constructor(options: HostMessageWriterOptions) {
    super();
    this.maxMessageBytes = options.maxMessageBytes;
    this.inFlight = options.inFlight;
    this.outgoing = options.outgoing;
    this.logger = options.logger;
    this.output = new FrameOutput(options.output, (error) => {
      this.logger.error(`Writing to the client failed: ${error.message}`);
      this.fireError(error);
    });
  }

  write(message: Message): Promise<void> {
    if (Message.isResponse(message)) return this.writeResponse(message);
    if (Message.isRequest(message)) return this.writeRequest(message);
    return this.writeNotification(message as NotificationMessage);
  }

  /**
   * Writes an error response the transport made about bad input. It bypasses in-flight
   * tracking: a duplicate's error carries the id of the request still in flight.
   */
  writeTransportReply(response: ErrorResponse): void {
    const entry = this.fit(serialize(response), undefined);
    this.output.write(entry.json, entry.bytes).catch(ignore); // failures are reported by FrameOutput
  }

  /** Writes a complete batch as one array (BatchReply fitted it), releasing its request ids first (see writeResponse). */
  readonly writeBatch = (entries: Serialized[], reply: BatchReply): void => {
    reply.requestIds.forEach((id) => this.inFlight.release(id));
    const bytes = arrayBytes(entries);
    if (bytes > this.maxMessageBytes) {
      this.logger.error(`A batch response is still ${bytes} bytes after shrinking (maxMessageBytes ${this.maxMessageBytes}); it was not sent.`);
      return;
    }
    this.output.write(`[${entries.map((entry) => entry.json).join(',')}]`, bytes).catch(ignore);
  };

  end(): void {
    this.output.end();
  }

  /** Resolves once every frame written so far has been handed to the OS. */
  flushed(): Promise<void> {
    return this.output.flushed();
  }

  override dispose(): void {
    this.output.dispose();
    super.dispose();
  }

  /** A response that hands something over (server/handover.ts) is ruled on here, or by its batch. */
  private writeResponse(response: ResponseMessage): Promise<void> {
    const id = response.id;
    const handover = handoverOf(response.result);
    let entry: Serialized;
    try {
      entry = serialize(response);
    } catch (error) {
      this.logger.error(`The response to request ${JSON.stringify(id)} is not serializable: ${describe(error)}`);
      handover?.refused();
      return this.writeResponse(transportError.internal(id, `the response could not be serialized as JSON (${describe(error)})`));
    }
    const route = id === null ? undefined : this.inFlight.routeOf(id);
    if (route?.kind === 'batch') {
      route.reply.fill(route.slot, entry, handover);
      return Promise.resolve();
    }
    // The id is released before the write and the promise resolves without waiting for the
    // stream: the client may reuse the id as soon as it reads the response. vscode-jsonrpc then
    // clears the old request's cancellation token (keyed by id) in a microtask after this
    // promise, always before it dispatches any new request (setImmediate). Write failures are
    // reported by FrameOutput through onError.
    if (route !== undefined) this.inFlight.release(id as JsonRpcId);
    const fitted = this.fit(entry, handover);
    this.output.write(fitted.json, fitted.bytes).catch(ignore);
    return Promise.resolve();
  }

  private writeRequest(request: RequestMessage): Promise<void> {
    let entry: Serialized;
    try {
      entry = serialize(request);
    } catch (error) {
      return Promise.reject(new Error(`Request ${request.method} could not be serialized as JSON: ${describe(error)}`));
    }
    if (entry.bytes > this.maxMessageBytes) {
      return Promise.reject(
        new Error(`Request ${request.method} of ${entry.bytes} bytes exceeds maxMessageBytes (${this.maxMessageBytes}); it was not sent.`),
      );
    }
    const id = request.id as JsonRpcId; // vscode-jsonrpc numbers its requests
    this.outgoing.add(id);
    const written = this.output.write(entry.json, entry.bytes);
    this.written.add(written, id);
    return written;
  }

  private writeNotification(notification: NotificationMessage): Promise<void> {
    let entry: Serialized;
    try {
      entry = serialize(notification);
    } catch (error) {
      this.logger.error(`Notification ${notification.method} was dropped: it is not serializable (${describe(error)}).`);
      return Promise.resolve();
    }
    if (entry.bytes > this.maxMessageBytes) {
      this.logger.warn(`Notification ${notification.method} of ${entry.bytes} bytes exceeds maxMessageBytes (${this.maxMessageBytes}); it was dropped.`);
      return Promise.resolve();
    }
    return this.output.write(entry.json, entry.bytes);
  }

  /**
   * A response over the limit becomes a -32031 error for its id (or for null, if even that id is
   * too large); one that hands something over is ruled on: sent, or refused with an error naming the cell.
   */
  private fit(entry: Serialized, handover: Handover | undefined): Serialized {
    if (entry.bytes <= this.maxMessageBytes) {
      handover?.sent();
      return entry;
    }
    this.logger.warn(`The response to request ${String(entry.id).slice(0, 80)} is ${entry.bytes} bytes, over maxMessageBytes (${this.maxMessageBytes}); sent -32031 instead.`);
    handover?.refused();
    const tooLarge = (id: JsonRpcId | null) =>
      serialize(handover === undefined ? transportError.outgoingTooLarge(id, entry.bytes, this.maxMessageBytes) : transportError.handoverTooLarge(id, handover, entry.bytes, this.maxMessageBytes));
    const replacement = tooLarge(entry.id);
    return replacement.bytes <= this.maxMessageBytes ? replacement : tooLarge(null);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The client's MessageWriter: serializes each message once, measures it, and enforces the host's
 * `maxMessageBytes` (the size of a frame's body) on that one serialization:
 * - a request or notification over the limit, or one that is not JSON, is not sent: `write()`
 *   rejects with MessageTooLargeError (or the serializer's error). vscode-jsonrpc turns that into
 *   a -32099 rejection of `sendRequest` that carries only the message; `takeRefusal` maps it back.
 * - a response over the limit, or one that is not JSON, is replaced by an error response for the
 *   same id. The client only answers delegate calls, so that error is what the cell sees.
 *
 * `write()` of a response resolves at once; of a request or notification, once the stream took
 * the frame. Stream errors (EPIPE after the host died) go to `onError` once, and the connection
 * treats them as a loss; a response write that fails is never an unhandled rejection.
 */
import type { Writable } from 'node:stream';
import {
  AbstractMessageWriter,
  type Message,
  type MessageWriter,
  type NotificationMessage,
  type RequestMessage,
  type ResponseMessage,
} from 'vscode-jsonrpc/node';
import { jsonBytes, type JsonText } from '../schemas/framing.js';
import { ErrorCode } from '../schemas/index.js';
import { MessageTooLargeError } from './errors.js';
import { FrameOutput } from './frameOutput.js';
import { responseJson } from './responseJson.js';

const RESOLVED = Promise.resolve();

export class FrameWriter extends AbstractMessageWriter implements MessageWriter {
  private readonly output: FrameOutput;
  /** Refused requests' errors by message, until the request path takes them back. */
  private readonly refused = new Map<string, Error[]>();

  /**
   * `maxMessageBytes` is read on every write: the host's limits arrive with the handshake.
   * `isPipe`: the stream is done with a buffer once its write's callback runs (FrameOutput).
   */
  constructor(
    private readonly stream: Writable,
    private readonly maxMessageBytes: () => number,
    isPipe: boolean,
  ) {
    super();
    this.output = new FrameOutput(stream, (error) => this.fireError(error), isPipe);
    stream.on('close', this.closed);
  }

  write(message: Message): Promise<void> {
    if ((message as { method?: unknown }).method === undefined) {
      this.writeResponse(message as ResponseMessage);
      return RESOLVED;
    }
    return this.writeOutgoing(message as RequestMessage | NotificationMessage);
  }

  /**
   * The error a request's write was refused with, given the message of the -32099 ResponseError
   * vscode-jsonrpc rejected `sendRequest` with; undefined for any other write failure. Each
   * refusal is handed out once; refusals with the same message are interchangeable.
   */
  takeRefusal(message: string): Error | undefined {
    const errors = this.refused.get(message);
    const error = errors?.shift();
    if (errors?.length === 0) this.refused.delete(message);
    return error;
  }

  end(): void {
    this.output.end();
  }

  /** Writes the frames queued this turn now: before the stream is ended by someone else. */
  flush(): void {
    this.output.flush();
  }

  override dispose(): void {
    this.stream.off('close', this.closed);
    this.output.dispose();
    super.dispose();
  }

  private writeOutgoing(message: RequestMessage | NotificationMessage): Promise<void> {
    let json: string;
    try {
      json = JSON.stringify(message);
    } catch (error) {
      return this.refuse(message, error instanceof Error ? error : new Error(String(error)));
    }
    const bytes = Buffer.byteLength(json);
    const max = this.maxMessageBytes();
    if (bytes > max) return this.refuse(message, new MessageTooLargeError(message.method, bytes, max));
    return this.output.write(json, bytes);
  }

  /** Rejects the write; a request's error is kept for `takeRefusal` (a notification's reaches its caller as is). */
  private refuse(message: RequestMessage | NotificationMessage, error: Error): Promise<never> {
    if ('id' in message) {
      const errors = this.refused.get(error.message);
      if (errors === undefined) this.refused.set(error.message, [error]);
      else errors.push(error);
    }
    return Promise.reject(error);
  }

  private writeResponse(response: ResponseMessage): void {
    let json: JsonText;
    try {
      json = responseJson(response);
    } catch (error) {
      json = errorResponse(response, ErrorCode.InternalError, `tool result is not JSON: ${describe(error)}`, 'InternalError');
    }
    let bytes = jsonBytes(json);
    const max = this.maxMessageBytes();
    if (bytes > max) {
      const what = response.error === undefined ? 'tool result' : 'tool error';
      json = errorResponse(response, ErrorCode.MessageTooLarge, `${what} of ${bytes} bytes exceeds the host's maxMessageBytes of ${max}`, 'MessageTooLarge');
      bytes = Buffer.byteLength(json);
    }
    this.output.post(json, bytes);
  }

  private readonly closed = (): void => this.fireClose();
}

/** The serialized error response that replaces `response`, as vscode-jsonrpc would write a ResponseError. */
function errorResponse(response: ResponseMessage, code: number, message: string, kind: string): string {
  return JSON.stringify({ jsonrpc: response.jsonrpc, id: response.id, error: { code, message, data: { kind } } });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

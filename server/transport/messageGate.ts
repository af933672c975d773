/**
 * Sits between the frame parser and the dispatcher and applies every per-message rule of
 * docs/protocol.md: -32700 for a body that is not UTF-8 JSON, -32600 for anything that is not
 * JSON-RPC 2.0, batches, duplicate in-flight ids and `maxInFlightRequests`. Only well-formed
 * messages reach the dispatcher; every error reply is written from here at once. A response that
 * names a pending host request always settles it, with an error when it was malformed, and is
 * never answered (a -32600 carrying the host's own request id would look like an answer).
 */
import { isUtf8 } from 'node:buffer';
import type { DataCallback, Message, NotificationMessage, RequestMessage, ResponseMessage } from 'vscode-jsonrpc/node';
import type { Logger } from '../log.js';
import { BatchReply } from './batchReply.js';
import { classify, type Classified } from './classify.js';
import { transportError, type ErrorResponse, type JsonRpcId } from './errorResponses.js';
import type { InFlightRequests, ResponseRoute } from './inFlightRequests.js';
import type { HostMessageWriter } from './messageWriter.js';
import type { OutgoingRequests } from './outgoingRequests.js';
import { parseBody } from './parseBody.js';
import { serialize } from './serialized.js';

export interface MessageGateOptions {
  maxMessageBytes: number;
  inFlight: InFlightRequests;
  outgoing: OutgoingRequests;
  writer: Pick<HostMessageWriter, 'writeTransportReply' | 'writeBatch'>;
  logger: Logger;
}

/** What happens to one message (or one batch element). */
type Verdict = { kind: 'forward'; message: Message } | { kind: 'reply'; response: ErrorResponse } | { kind: 'drop' };

const DIRECT: ResponseRoute = { kind: 'direct' };
const direct = (): ResponseRoute => DIRECT;

export class MessageGate {
  constructor(private readonly options: MessageGateOptions) {}

  /**
   * Handles one complete frame body, passing what is well-formed to `forward`. `release` (see
   * FrameEvents.frame) is called once the body is parsed, or handed to the RawText it holds.
   */
  accept(body: Buffer, forward: DataCallback, release?: () => void): void {
    if (!isUtf8(body)) {
      release?.();
      this.options.writer.writeTransportReply(transportError.parseError('the body is not valid UTF-8'));
      return;
    }
    let value: unknown;
    try {
      value = parseBody(body, release);
    } catch (error) {
      this.options.writer.writeTransportReply(transportError.parseError(error instanceof Error ? error.message : String(error)));
      return;
    }
    if (Array.isArray(value)) this.acceptBatch(value, forward);
    else this.acceptSingle(value, forward);
  }

  /**
   * Answers a frame whose body was over `maxMessageBytes` (and was skipped unread). When its head
   * shows it was the client's response to a pending host request, that request fails with
   * -32031 too, so only the one delegate call fails instead of waiting forever.
   */
  rejectOversize(byteLength: number, head: Buffer, forward: DataCallback): void {
    const { maxMessageBytes, outgoing, writer } = this.options;
    writer.writeTransportReply(transportError.incomingTooLarge(byteLength, maxMessageBytes));
    const named = responseIdOf(head);
    const id = named === undefined ? undefined : outgoing.claim(named);
    if (id !== undefined) forward(transportError.responseTooLarge(id, byteLength, maxMessageBytes));
  }

  private acceptSingle(value: unknown, forward: DataCallback): void {
    const verdict = this.judge(classify(value), direct);
    if (verdict.kind === 'forward') forward(verdict.message);
    else if (verdict.kind === 'reply') this.options.writer.writeTransportReply(verdict.response);
  }

  /**
   * JSON-RPC 2.0 section 6: one array answers the batch, in element order. Every element is judged
   * (its slot reserved) before any is dispatched, so the batch knows all its slots when the first
   * response arrives (BatchReply rules on handovers as they come).
   */
  private acceptBatch(values: unknown[], forward: DataCallback): void {
    const { maxMessageBytes, logger, writer } = this.options;
    if (values.length === 0) {
      writer.writeTransportReply(transportError.emptyBatch());
      return;
    }
    const batch = new BatchReply({ maxMessageBytes, logger, write: writer.writeBatch });
    const forwarded: Message[] = [];
    for (const value of values) {
      const verdict = this.judge(classify(value), (id) => ({ kind: 'batch', reply: batch, slot: batch.reserve(id) }));
      if (verdict.kind === 'forward') forwarded.push(verdict.message);
      else if (verdict.kind === 'reply') batch.add(serialize(verdict.response));
    }
    batch.seal();
    forwarded.forEach((message) => forward(message));
  }

  private judge(message: Classified, route: (id: JsonRpcId) => ResponseRoute): Verdict {
    switch (message.kind) {
      case 'invalid':
        return { kind: 'reply', response: transportError.invalidRequest(message.id, message.reason) };
      case 'request':
        return this.admit(message.message, route);
      case 'notification':
        return this.isMalformedCancel(message.message) ? { kind: 'drop' } : { kind: 'forward', message: message.message };
      case 'response':
        return this.expected(message.message);
      case 'malformedResponse':
        return this.settleMalformed(message.id, message.reason);
    }
  }

  private admit(request: RequestMessage & { id: JsonRpcId }, route: (id: JsonRpcId) => ResponseRoute): Verdict {
    const id = request.id;
    switch (this.options.inFlight.admit(id, () => route(id))) {
      case 'admitted':
        return { kind: 'forward', message: request };
      case 'duplicate':
        return { kind: 'reply', response: transportError.duplicateId(id) };
      case 'overloaded':
        return { kind: 'reply', response: transportError.overloaded(id, this.options.inFlight.limit) };
    }
  }

  /** vscode-jsonrpc reads `params.id` of a cancel without checking and would throw. */
  private isMalformedCancel(notification: NotificationMessage): boolean {
    if (notification.method !== '$/cancelRequest') return false;
    const params = notification.params as { id?: unknown } | undefined;
    const valid = typeof params === 'object' && !Array.isArray(params) && (typeof params.id === 'string' || typeof params.id === 'number');
    if (!valid) this.options.logger.warn('Ignored a $/cancelRequest without a string or number params.id.');
    return !valid;
  }

  /** A response must answer a request the host sent; others are logged and dropped. */
  private expected(response: ResponseMessage & { id: JsonRpcId | null }): Verdict {
    if (response.id === null) {
      // An id-less error response (the client could not read something) is logged by the dispatcher.
      return { kind: 'forward', message: response };
    }
    const id = this.options.outgoing.claim(response.id);
    // The id as the host sent it: a client may echo 7 as "7" (OutgoingRequests.claim).
    if (id !== undefined) return { kind: 'forward', message: id === response.id ? response : ({ ...response, id } as ResponseMessage) };
    this.options.logger.warn(`Ignored a response for unknown request id ${JSON.stringify(response.id)}.`);
    return { kind: 'drop' };
  }

  /** A malformed answer to a pending host request fails that request; any other is -32600. */
  private settleMalformed(named: JsonRpcId | null, reason: string): Verdict {
    const id = named === null ? undefined : this.options.outgoing.claim(named);
    if (id === undefined) return { kind: 'reply', response: transportError.invalidRequest(named, reason) };
    this.options.logger.warn(`The client answered request ${JSON.stringify(id)} with a malformed response: ${reason}.`);
    return { kind: 'forward', message: transportError.malformedAnswer(id, reason) };
  }
}

/**
 * The id of a response whose body starts `{"jsonrpc":"2.0","id":...` or `{"id":...` (the order
 * vscode-jsonrpc and most encoders write), when the head names no method. Best effort: any other
 * layout is treated as an unknown message.
 */
function responseIdOf(head: Buffer): JsonRpcId | undefined {
  const text = head.toString('utf8');
  if (/"method"\s*:/.test(text)) return undefined;
  const match = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*,/.exec(text);
  if (match === null || match[1] === undefined) return undefined;
  return JSON.parse(match[1]) as JsonRpcId;
}

/**
 * Every error response the transport itself writes. Each carries `data.kind` and a message that
 * says what happened and what to do, as docs/protocol.md (Errors) requires.
 */
import type { ResponseMessage } from 'vscode-jsonrpc/node';
import { ErrorCode, type ErrorData, type ErrorKind } from '../../schemas/errors.js';
import type { Handover } from '../handover.js';

export type JsonRpcId = string | number;

export interface ErrorResponse extends ResponseMessage {
  id: JsonRpcId | null;
  error: { code: number; message: string; data: ErrorData };
}

function errorResponse(id: JsonRpcId | null, kind: ErrorKind, message: string, extra: Record<string, unknown> = {}): ErrorResponse {
  return { jsonrpc: '2.0', id, error: { code: ErrorCode[kind], message, data: { kind, ...extra } } };
}

const sizeData = (messageBytes: number, maxMessageBytes: number) => ({ limit: 'maxMessageBytes', messageBytes, maxMessageBytes });

/** What a -32031 says about the handover (server/handover.ts) its response carried. */
type HandoverName = Pick<Handover, 'cellId' | 'what'>;

// Concurrent terminates share one result: another of their responses may have carried it.
const kept = ({ cellId, what }: HandoverName) =>
  what === 'result' ? `the result of cell ${cellId} stays pending (unless another response carried it)` : `the output of cell ${cellId} stays buffered and the cell runs on`;

export const transportError = {
  incomingTooLarge(messageBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      null,
      'MessageTooLarge',
      `Message body of ${messageBytes} bytes exceeds maxMessageBytes (${maxMessageBytes}); it was skipped. Send smaller messages or raise --max-message-bytes.`,
      sizeData(messageBytes, maxMessageBytes),
    );
  },
  outgoingTooLarge(id: JsonRpcId | null, messageBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      id,
      'MessageTooLarge',
      `The response of ${messageBytes} bytes exceeds maxMessageBytes (${maxMessageBytes}); it was not sent. Ask for less per request or raise --max-message-bytes.`,
      sizeData(messageBytes, maxMessageBytes),
    );
  },
  /** Stands in for a client response that was too large to read, so its request fails. */
  responseTooLarge(id: JsonRpcId, messageBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      id,
      'MessageTooLarge',
      `The client's response of ${messageBytes} bytes exceeds maxMessageBytes (${maxMessageBytes}); it was skipped, so this call failed. Return less, or raise --max-message-bytes.`,
      sizeData(messageBytes, maxMessageBytes),
    );
  },
  batchTooLarge(id: JsonRpcId | null, responseBytes: number, batchBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      id,
      'MessageTooLarge',
      `The batch response of ${batchBytes} bytes exceeds maxMessageBytes (${maxMessageBytes}), so this request's ${responseBytes}-byte response was not sent. Send fewer requests per batch, ask for less, or raise --max-message-bytes.`,
      sizeData(batchBytes, maxMessageBytes),
    );
  },
  /** Replaces a response over maxMessageBytes that hands over a cell's result or output, which the cell keeps. */
  handoverTooLarge(id: JsonRpcId | null, handover: HandoverName, messageBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      id,
      'MessageTooLarge',
      `The response of ${messageBytes} bytes exceeds maxMessageBytes (${maxMessageBytes}), so it was not sent; ${kept(handover)}: collect it with cell/wait (a shorter request id, a smaller maxOutputTokens), or raise --max-message-bytes.`,
      { ...sizeData(messageBytes, maxMessageBytes), cellId: handover.cellId },
    );
  },
  /** Replaces a response that hands over a cell's result or output and does not fit its batch's array; the cell keeps it. */
  handoverOutOfBatch(id: JsonRpcId, handover: HandoverName, responseBytes: number, batchBytes: number, maxMessageBytes: number): ErrorResponse {
    return errorResponse(
      id,
      'MessageTooLarge',
      `The batch response would be at least ${batchBytes} bytes, over maxMessageBytes (${maxMessageBytes}), so this request's ${responseBytes}-byte response was not sent; ${kept(handover)}: collect it with a cell/wait outside this batch or with a smaller maxOutputTokens, or raise --max-message-bytes.`,
      { ...sizeData(batchBytes, maxMessageBytes), cellId: handover.cellId },
    );
  },
  /** Stands in for a malformed client answer to a pending host request, so that request fails. */
  malformedAnswer(id: JsonRpcId, reason: string): ErrorResponse {
    return errorResponse(id, 'InvalidRequest', `The client's answer was malformed (${reason}), so this call failed. Answer with a JSON-RPC 2.0 response: one "result", or an "error" with an integer "code" and a string "message".`);
  },
  parseError(detail: string): ErrorResponse {
    return errorResponse(null, 'ParseError', `Parse error: the body is not valid JSON (${detail}). Send one UTF-8 JSON value per frame.`);
  },
  invalidRequest(id: JsonRpcId | null, reason: string): ErrorResponse {
    return errorResponse(id, 'InvalidRequest', `Invalid Request: ${reason}. Send a JSON-RPC 2.0 request, notification or response.`);
  },
  emptyBatch(): ErrorResponse {
    return errorResponse(null, 'InvalidRequest', 'Invalid Request: the batch is an empty array. Send at least one message in a batch.');
  },
  duplicateId(id: JsonRpcId): ErrorResponse {
    return errorResponse(
      id,
      'InvalidRequest',
      `Invalid Request: request id ${JSON.stringify(id)} is already in flight, so this duplicate was not run. Use a new id per request (1 and "1" count as the same id).`,
    );
  },
  overloaded(id: JsonRpcId, maxInFlightRequests: number): ErrorResponse {
    return errorResponse(
      id,
      'Overloaded',
      `${maxInFlightRequests} requests are already in flight (maxInFlightRequests), so this one was not run. Wait for responses before sending more, or raise --max-in-flight-requests.`,
      { limit: 'maxInFlightRequests' },
    );
  },
  internal(id: JsonRpcId | null, detail: string): ErrorResponse {
    return errorResponse(id, 'InternalError', `Internal error: ${detail}. This is a host bug; the host keeps serving.`);
  },
};

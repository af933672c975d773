/**
 * Factories for every error the host answers with. Handlers throw these; nothing else builds a
 * ResponseError, so each code has one message and one `data` shape.
 */
import { ResponseError } from './jsonRpc.js';
import { ErrorCode, type ErrorData, type ErrorKind, type ParamError } from '../schemas/index.js';

function protocolError(kind: ErrorKind, message: string, extra: Record<string, unknown> = {}): ResponseError<ErrorData> {
  return new ResponseError<ErrorData>(ErrorCode[kind], message, { kind, ...extra });
}

export const hostError = {
  invalidParams(method: string, errors: ParamError[]) {
    const first = errors[0];
    const where = first ? ` at ${first.path === '' ? 'params' : first.path}: ${first.message}` : '';
    return protocolError('InvalidParams', `Invalid params for ${method}${where}.`, { errors });
  },
  limitOutOfRange(path: string, message: string) {
    return protocolError('InvalidParams', `Limit out of range at ${path}: ${message}.`, {
      errors: [{ path, message }],
    });
  },
  duplicateToolName(jsName: string, first: string, second: string) {
    const path = '/tools';
    const message = `tools "${first}" and "${second}" both become tools.${jsName} in JavaScript; rename one`;
    return protocolError('InvalidParams', `Invalid params for cell/execute: ${message}.`, { errors: [{ path, message }] });
  },
  unsupportedVersion(requested: number) {
    return protocolError(
      'InvalidParams',
      `protocolVersion ${requested} is not supported; this host speaks version 1.`,
      { errors: [{ path: '/protocolVersion', message: 'must be 1' }], supportedVersions: [1] },
    );
  },
  alreadyInitialized() {
    return protocolError('InvalidRequest', 'initialize was already called on this connection; send it once.');
  },
  methodNotFound(method: string) {
    return protocolError('MethodNotFound', `Unknown method ${JSON.stringify(method)}; see docs/protocol.md for the methods this host serves.`);
  },
  notInitialized(method: string) {
    return protocolError('ServerNotInitialized', `${method} was sent before initialize; send initialize first.`);
  },
  hostShuttingDown() {
    return protocolError('ShuttingDown', 'The host is shutting down and accepts no more requests; start a new host.');
  },
  sessionClosing(sessionId: string) {
    return protocolError('ShuttingDown', `Session ${sessionId} is closing; open a new session.`, { sessionId });
  },
  sessionNotFound(sessionId: string) {
    return protocolError('SessionNotFound', `No open session ${JSON.stringify(sessionId)}; open it with session/open first.`, { sessionId });
  },
  sessionExists(sessionId: string) {
    return protocolError(
      'SessionExists',
      `Session id ${JSON.stringify(sessionId)} is open or was used before on this connection; choose a new id or omit it.`,
      { sessionId },
    );
  },
  cellBusy(cellId: string) {
    return protocolError(
      'CellBusy',
      `Cell ${cellId} already has an active observer; wait for it to return or cancel it first.`,
      { cellId },
    );
  },
  sessionBusy(sessionId: string, cellId: string) {
    return protocolError(
      'SessionBusy',
      `Persistent session ${sessionId} is running cell ${cellId}; its cells run one at a time. Wait for it (cell/wait) or stop it (cell/terminate) first.`,
      { sessionId, cellId },
    );
  },
  cancelled(cellId: string) {
    return protocolError('RequestCancelled', `The request was cancelled; cell ${cellId} keeps running (observe it with cell/wait).`, { cellId });
  },
  cancelledBeforeStart(cellId: string) {
    return protocolError('RequestCancelled', `The request was cancelled before cell ${cellId} started; it never ran.`, { cellId });
  },
  overloaded(limit: string, value: number) {
    return protocolError('Overloaded', `The host's ${limit} (${value}) is full; retry later or raise the limit.`, { limit });
  },
  resultTooLarge(cellId: string, messageBytes: number, maxMessageBytes: number) {
    return protocolError(
      'MessageTooLarge',
      `The result of cell ${cellId} is ${messageBytes} bytes as JSON, over maxMessageBytes (${maxMessageBytes}), so it was not sent; it stays pending: collect it with cell/wait and a smaller maxOutputTokens, or raise --max-message-bytes.`,
      { limit: 'maxMessageBytes', messageBytes, maxMessageBytes, cellId },
    );
  },
  outputTooLarge(cellId: string, messageBytes: number, maxMessageBytes: number) {
    return protocolError(
      'MessageTooLarge',
      `The output of cell ${cellId} since its last observation is ${messageBytes} bytes as JSON, over maxMessageBytes (${maxMessageBytes}), so it was not sent; it stays buffered and the cell runs on: collect it with cell/wait and a smaller maxOutputTokens, or raise --max-message-bytes.`,
      { limit: 'maxMessageBytes', messageBytes, maxMessageBytes, cellId },
    );
  },
  internal(method: string) {
    return protocolError('InternalError', `Internal error while handling ${method}; the host logged it on stderr and keeps serving.`);
  },
};

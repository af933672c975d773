/**
 * The host's JSON-RPC connection on stdio: vscode-jsonrpc's MessageConnection over our own
 * reader and writer, which implement every bad-input rule of PROTOCOL.md section 1 (vscode-jsonrpc
 * implements none: no size limit, no -32700/-32600, duplicate ids overwrite each other).
 *
 * vscode-jsonrpc 10 behaviour the host relies on: a star handler `onRequest((method, params,
 * token) => ...)` gets params as sent (`undefined` when absent; the gate turns `null` into
 * absent); a handler result of `undefined` is sent as `"result": null`; a thrown ResponseError
 * is sent as is, any other throw becomes -32603 "Request <m> failed with message: <msg>" (so map
 * errors yourself). A `sendRequest` whose message is over maxMessageBytes rejects with a
 * ResponseError of code -32099 (MessageWriteError) and our "exceeds maxMessageBytes" message.
 */
import type { Readable, Writable } from 'node:stream';
import {
  createMessageConnection,
  Emitter,
  type Event,
  type Logger as JsonRpcLogger,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import type { Logger } from '../log.js';
import type { FrameHeaderError } from './frameHeaderError.js';
import { InFlightRequests } from './inFlightRequests.js';
import { MessageGate } from './messageGate.js';
import { HostMessageReader } from './messageReader.js';
import { HostMessageWriter } from './messageWriter.js';
import { OutgoingRequests } from './outgoingRequests.js';

export { FrameHeaderError, type FrameHeaderProblem } from './frameHeaderError.js';

export interface HostTransportOptions {
  /** Client-to-host bytes (process.stdin). */
  input: Readable;
  /** Host-to-client bytes (process.stdout); nothing else may write to it. */
  output: Writable;
  /** Largest message body accepted or sent. */
  maxMessageBytes: number;
  /** Client requests admitted and not yet answered; beyond it a request gets -32030. */
  maxInFlightRequests: number;
  /** Receives the transport's and vscode-jsonrpc's log lines (stderr). */
  logger: Logger;
}

export interface HostTransport {
  /** Not yet listening: register the handlers, then call `connection.listen()`. */
  readonly connection: MessageConnection;
  /**
   * Fires once when a frame header cannot be parsed. Reading has stopped (the stream cannot be
   * resynchronised) but writing still works: tear down every session, await `flushed()`, exit 2.
   */
  readonly onFatal: Event<FrameHeaderError>;
  /**
   * Fires once when the input ends (EOF or a read error). `connection.onClose` does not fire for
   * it, so the connection can still send `cell/closed` during teardown; then await `flushed()`.
   */
  readonly onInputEnd: Event<void>;
  /** Resolves once every frame written so far has been handed to the OS (write before exit). */
  flushed(): Promise<void>;
  /** Disposes the connection (pending `sendRequest`s reject with -32097) and releases all listeners. */
  dispose(): void;
}

export function createHostTransport(options: HostTransportOptions): HostTransport {
  const { logger, maxMessageBytes } = options;
  const inFlight = new InFlightRequests(options.maxInFlightRequests);
  const outgoing = new OutgoingRequests();
  const fatal = new Emitter<FrameHeaderError>();
  const inputEnd = new Emitter<void>();
  const writer = new HostMessageWriter({ output: options.output, maxMessageBytes, inFlight, outgoing, logger });
  const gate = new MessageGate({ maxMessageBytes, inFlight, outgoing, writer, logger });
  const reader = new HostMessageReader({
    input: options.input,
    maxMessageBytes,
    gate,
    logger,
    onFatal: (error) => fatal.fire(error),
    onInputEnd: () => inputEnd.fire(),
  });
  // No maxParallelism: given one, vscode-jsonrpc handles a response as soon as it is read, ahead of
  // requests still in its queue, so a client's `cell/wait` followed by a tool answer could run in
  // the opposite order. Messages are handled in arrival order instead (see docs/benchmarks.md).
  const connection = createMessageConnection(reader, writer, toJsonRpcLogger(logger));
  return {
    connection,
    onFatal: fatal.event,
    onInputEnd: inputEnd.event,
    flushed: () => writer.flushed(),
    dispose() {
      connection.dispose(); // disposes the reader and the writer too
      fatal.dispose();
      inputEnd.dispose();
    },
  };
}

/** vscode-jsonrpc's own complaints (for instance a response without id) go to stderr, never stdout. */
function toJsonRpcLogger(logger: Logger): JsonRpcLogger {
  return {
    error: (message) => logger.error(`jsonrpc: ${message}`),
    warn: (message) => logger.warn(`jsonrpc: ${message}`),
    info: (message) => logger.info(`jsonrpc: ${message}`),
    log: (message) => logger.debug(`jsonrpc: ${message}`),
  };
}

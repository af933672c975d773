/**
 * The host's JSON-RPC connection on stdio: our reader, gate and writer, which implement every
 * bad-input rule of docs/protocol.md, and a dispatcher that handles what the gate lets through in
 * arrival order (see schemas/rpcDispatcher.ts for the handler conventions it keeps from vscode-jsonrpc).
 */
import type { Readable, Writable } from 'node:stream';
import type { Event } from 'vscode-jsonrpc';
import { Emitter } from '../jsonRpc.js';
import type { Logger } from '../log.js';
import type { FrameHeaderError } from '../../schemas/frameHeaderError.js';
import { Dispatcher, type RpcConnection as HostConnection } from '../../schemas/rpcDispatcher.js';
import { InFlightRequests } from './inFlightRequests.js';
import { MessageGate } from './messageGate.js';
import { HostMessageReader } from './messageReader.js';
import { HostMessageWriter } from './messageWriter.js';
import { OutgoingRequests } from './outgoingRequests.js';

export { FrameHeaderError, type FrameHeaderProblem } from '../../schemas/frameHeaderError.js';
export type { RpcConnection as HostConnection } from '../../schemas/rpcDispatcher.js';

export interface HostTransportOptions {
  /** Client-to-host bytes (process.stdin). */
  input: Readable;
  /** Host-to-client bytes (process.stdout); nothing else may write to it. */
  output: Writable;
  /** Largest message body accepted or sent. */
  maxMessageBytes: number;
  /** Client requests admitted and not yet answered; beyond it a request gets -32030. */
  maxInFlightRequests: number;
  /** Receives the transport's log lines (stderr). */
  logger: Logger;
}

export interface HostTransport {
  /** Not yet listening: register the handlers, then call `listen()`. */
  readonly connection: HostConnection;
  /** Starts reading input; every message read is dispatched before EOF or a fatal header is reported. */
  listen(): void;
  /**
   * Fires once when a frame header cannot be parsed. Reading has stopped (the stream cannot be
   * resynchronised) but writing still works: tear down every session, await `flushed()`, exit 2.
   */
  readonly onFatal: Event<FrameHeaderError>;
  /**
   * Fires once when the input ends (EOF or a read error). The connection can still send
   * `cell/closed` during teardown; then await `connection.answered()` and `flushed()`.
   */
  readonly onInputEnd: Event<void>;
  /** Fires once, on the first failed write (EPIPE once the client is gone). */
  readonly onWriteError: Event<Error>;
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
  const dispatcher = new Dispatcher(writer, logger, 'client');
  const writeError = new Emitter<Error>();
  writer.onError(([error]) => writeError.fire(error));
  return {
    connection: dispatcher,
    listen: () => void reader.listen(dispatcher.dispatch),
    onFatal: fatal.event,
    onInputEnd: inputEnd.event,
    onWriteError: writeError.event,
    flushed: () => writer.flushed(),
    dispose() {
      dispatcher.dispose();
      reader.dispose();
      writer.dispose();
      fatal.dispose();
      inputEnd.dispose();
      writeError.dispose();
    },
  };
}

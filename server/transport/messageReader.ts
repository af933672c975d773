/**
 * The host's MessageReader: input bytes -> FrameParser -> MessageGate -> the dispatcher.
 *
 * Every message of a chunk is handed on synchronously, in order, so EOF and a fatal header error
 * (reported to the owner's callbacks, not as the reader's close) always come after every message
 * read before them was dispatched.
 */
import type { Readable } from 'node:stream';
import type { DataCallback, MessageReader } from 'vscode-jsonrpc';
import { AbstractMessageReader, Disposable } from '../jsonRpc.js';
import type { Logger } from '../log.js';
import type { FrameHeaderError } from '../../schemas/frameHeaderError.js';
import { FrameParser } from '../../schemas/frameParser.js';
import { SpareBuffer } from '../../schemas/spareBuffer.js';
import type { MessageGate } from './messageGate.js';

export interface HostMessageReaderOptions {
  input: Readable;
  maxMessageBytes: number;
  gate: MessageGate;
  logger: Logger;
  /** A header could not be parsed; reading has stopped for good. */
  onFatal(error: FrameHeaderError): void;
  /** The input ended (or failed); nothing more will be read. */
  onInputEnd(): void;
}

type ReaderState =
  | { kind: 'idle' }
  | { kind: 'listening'; parser: FrameParser; bodies: SpareBuffer }
  | { kind: 'stopped' };

export class HostMessageReader extends AbstractMessageReader implements MessageReader {
  private state: ReaderState = { kind: 'idle' };

  constructor(private readonly options: HostMessageReaderOptions) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    if (this.state.kind !== 'idle') throw new Error('HostMessageReader.listen may be called once.');
    const { gate } = this.options;
    // A large body (a delegate's large answer) is read into the buffer of the one before once that
    // one is released: when parsed, or once its long string's bytes went to a sandbox process.
    const bodies = new SpareBuffer();
    const parser = new FrameParser(
      this.options.maxMessageBytes,
      {
        frame: (body, release) => gate.accept(body, callback, release),
        oversize: (byteLength, head) => gate.rejectOversize(byteLength, head, callback),
        fatal: (error) => this.fatal(error),
      },
      bodies,
    );
    this.state = { kind: 'listening', parser, bodies };
    const { input } = this.options;
    input.on('data', this.handleData);
    input.on('end', this.handleEnd);
    input.on('error', this.handleError);
    return Disposable.create(() => this.stop());
  }

  override dispose(): void {
    this.stop();
    super.dispose();
  }

  private readonly handleData = (chunk: Buffer | string): void => {
    if (this.state.kind !== 'listening') return;
    try {
      this.state.parser.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
    } catch (error) {
      // A throw from a 'data' listener would crash the process; this is a transport bug instead.
      this.options.logger.error(`Transport bug while reading input: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  };

  private readonly handleEnd = (): void => {
    if (this.state.kind !== 'listening') return;
    if (!this.state.parser.atFrameBoundary) this.options.logger.warn('Input ended in the middle of a frame; the partial frame was discarded.');
    this.stop();
    this.options.onInputEnd();
  };

  private readonly handleError = (error: Error): void => {
    if (this.state.kind !== 'listening') return;
    this.options.logger.error(`Reading input failed: ${error.message}`);
    this.fireError(error);
    this.stop();
    this.options.onInputEnd();
  };

  private fatal(error: FrameHeaderError): void {
    this.options.logger.error(`Unrecoverable frame header error: ${error.message}`);
    this.stop();
    this.options.onFatal(error);
  }

  private stop(): void {
    if (this.state.kind !== 'listening') {
      this.state = { kind: 'stopped' };
      return;
    }
    this.state.bodies.dispose();
    this.state = { kind: 'stopped' };
    const { input } = this.options;
    input.off('data', this.handleData);
    input.off('end', this.handleEnd);
    // handleError stays attached, now inert: with no listener an 'error' event would crash the host.
    input.pause();
  }
}

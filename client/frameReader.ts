/**
 * Reads the host's frames from its stdout and hands each message to the listener synchronously,
 * in arrival order, as soon as its chunk is read: every message of one read is dispatched in the
 * same turn, so the answers they produce leave in one write (vscode-jsonrpc's StreamMessageReader
 * hands over one message per setImmediate). A header that cannot be parsed or a body that is not
 * JSON is an error after which nothing more is read: the stream cannot be resynchronised.
 */
import type { Readable } from 'node:stream';
import { AbstractMessageReader, type DataCallback, type Disposable, type Message, type MessageReader } from 'vscode-jsonrpc/node';
import { FrameParser } from '../schemas/frameParser.js';

export class FrameReader extends AbstractMessageReader implements MessageReader {
  private failed = false;

  constructor(private readonly stream: Readable) {
    super();
  }

  listen(callback: DataCallback): Disposable {
    // The client does not limit what the host sends: the host's own writer enforces maxMessageBytes.
    const parser = new FrameParser(Number.MAX_SAFE_INTEGER, {
      frame: (body) => this.deliver(body, callback),
      oversize: () => {},
      fatal: (error) => this.fail(error),
    });
    const onData = (chunk: Buffer): void => {
      if (!this.failed) parser.push(chunk);
    };
    const onError = (error: Error): void => this.fireError(error);
    const onClose = (): void => this.fireClose();
    this.stream.on('data', onData).on('error', onError).on('close', onClose);
    return {
      dispose: () => {
        this.stream.off('data', onData).off('error', onError).off('close', onClose);
      },
    };
  }

  private deliver(body: Buffer, callback: DataCallback): void {
    if (this.failed) return;
    let message: Message;
    try {
      message = JSON.parse(body.toString('utf8')) as Message;
    } catch (error) {
      this.fail(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    callback(message);
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.fireError(error);
  }
}

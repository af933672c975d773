import { StringDecoder } from 'node:string_decoder';

/** Longest line kept or forwarded; the host's log lines are short, so more is runaway output. */
const MAX_LINE_CHARS = 4096;
/** Lines kept for error messages. */
const TAIL_LINES = 20;

/**
 * Splits the host's stderr into lines, forwards each to `onLine`, and keeps the last few for
 * error messages. Memory is bounded whatever the host writes: a line without a newline is cut
 * at MAX_LINE_CHARS.
 */
export class StderrTail {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private readonly tail: string[] = [];

  constructor(private readonly onLine: ((line: string) => void) | undefined) {}

  push(chunk: Buffer): void {
    this.partial += this.decoder.write(chunk);
    let newline: number;
    while ((newline = this.partial.indexOf('\n')) >= 0) {
      this.emit(this.partial.slice(0, newline));
      this.partial = this.partial.slice(newline + 1);
    }
    if (this.partial.length > MAX_LINE_CHARS) {
      this.emit(this.partial);
      this.partial = '';
    }
  }

  /** Flushes an unterminated last line once the stream has ended. */
  end(): void {
    this.partial += this.decoder.end();
    if (this.partial !== '') this.emit(this.partial);
    this.partial = '';
  }

  /** The last lines, for an error message; empty when the host wrote nothing. */
  text(): string {
    return this.tail.join('\n');
  }

  private emit(raw: string): void {
    const line = raw.replace(/\r$/, '').slice(0, MAX_LINE_CHARS);
    this.tail.push(line);
    if (this.tail.length > TAIL_LINES) this.tail.shift();
    if (this.onLine === undefined) return;
    try {
      this.onLine(line);
    } catch {
      // A throwing log callback must not take the host connection down with it.
    }
  }
}

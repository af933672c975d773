/**
 * A long string of a client's response, still as the bytes it arrived in: ASCII, with nothing
 * escaped, so its bytes are its text (server/transport/parseBody.ts makes sure). A large tool
 * result passes through the host this way and its bytes go to the sandbox process as they are
 * (server/sandbox/bulkChannel.ts): the host neither decodes 16 MiB into a string nor encodes it
 * again. Anything that needs the string itself gets it from `text()`, and JSON.stringify writes it
 * as the string it is.
 *
 * The bytes may be a view of the buffer the host reads large bodies into. Once they were written,
 * `release()` lets that buffer take the next body; from then on they are gone, and reading them
 * throws instead of returning another message's bytes.
 */
export class RawText {
  private view: Buffer | undefined;

  constructor(
    bytes: Buffer,
    private readonly onRelease?: () => void,
  ) {
    this.view = bytes;
  }

  get bytes(): Buffer {
    if (this.view === undefined) throw new Error('RawText read after its bytes were released');
    return this.view;
  }

  get length(): number {
    return this.bytes.length;
  }

  text(): string {
    return this.bytes.toString('latin1');
  }

  toJSON(): string {
    return this.text();
  }

  /** Nothing reads the bytes any more. */
  release(): void {
    if (this.view === undefined) return;
    this.view = undefined;
    this.onRelease?.();
  }
}

/**
 * A long string of a client's response, still as the bytes it arrived in: ASCII, with nothing
 * escaped, so its bytes are its text (server/transport/parseBody.ts makes sure). A large tool
 * result passes through the host this way and its bytes go to the sandbox process as they are
 * (server/sandbox/bulkChannel.ts): the host neither decodes 16 MiB into a string nor encodes it
 * again. Anything that needs the string itself gets it from `text()`, and JSON.stringify writes it
 * as the string it is.
 */
export class RawText {
  constructor(readonly bytes: Buffer) {}

  get length(): number {
    return this.bytes.length;
  }

  text(): string {
    return this.bytes.toString('latin1');
  }

  toJSON(): string {
    return this.text();
  }
}

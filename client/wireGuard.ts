import {
  AbstractMessageReader,
  type DataCallback,
  type Disposable,
  type Message,
  type MessageReader,
  type MessageWriter,
} from 'vscode-jsonrpc/node';

type Id = string | number;

/**
 * Watches both directions of the wire for what vscode-jsonrpc lets through silently:
 * - a response to an id the client never sent, or one without an id, or a message that is neither
 *   request, notification nor response: a protocol violation (vscode-jsonrpc only logs these);
 * - a host request id reused while the first is still unanswered: a protocol violation;
 * - `$/cancelRequest` from the host for a delegate request: the client's response to that request
 *   is dropped, because the host ignores it anyway and docs/protocol.md says none is sent.
 * A violation is reported once to `onViolation` and the offending message is not delivered.
 */
export class WireGuard {
  private readonly awaitingResponse = new Set<Id>();
  private readonly hostRequests = new Set<Id>();
  private readonly cancelledHostRequests = new Set<Id>();

  constructor(private readonly onViolation: (violation: string) => void) {}

  /** `reader`, filtered: only well-formed, expected messages reach the connection. */
  guardReader(reader: MessageReader): MessageReader {
    return new GuardedReader(reader, (message) => this.inspectIncoming(message), this.onViolation);
  }

  /** `writer`, recording our request ids and dropping responses the host cancelled. */
  guardWriter(writer: MessageWriter): MessageWriter {
    return {
      onError: writer.onError,
      onClose: writer.onClose,
      end: () => writer.end(),
      dispose: () => writer.dispose(),
      write: (message) => this.writeOutgoing(writer, message),
    };
  }

  private writeOutgoing(writer: MessageWriter, message: Message): Promise<void> {
    if (!this.admitOutgoing(message)) return Promise.resolve();
    const written = writer.write(message);
    const { id, method } = message as { id?: Id | null; method?: string };
    // A request the writer refused (too large) or failed to write will never be answered.
    if (method !== undefined && id !== undefined && id !== null) written.catch(() => this.awaitingResponse.delete(id));
    return written;
  }

  private inspectIncoming(message: unknown): string | undefined {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      return 'code-mode host sent a message that is not a JSON-RPC object';
    }
    const { id, method, params } = message as { id?: unknown; method?: unknown; params?: unknown };
    if (typeof method === 'string') {
      if (id === undefined) {
        if (method === '$/cancelRequest') this.noteCancel(params);
        return undefined;
      }
      if (typeof id !== 'string' && typeof id !== 'number') return `code-mode host sent request ${method} with an invalid id`;
      if (this.hostRequests.has(id)) return `code-mode host reused request id ${id} while it was still in flight`;
      this.hostRequests.add(id);
      return undefined;
    }
    if (!('result' in message) && !('error' in message)) return 'code-mode host sent a message that is neither request, notification nor response';
    if (id === null || id === undefined) {
      const detail = JSON.stringify((message as { error?: unknown }).error ?? null);
      return `code-mode host sent a response without a request id: ${detail}`;
    }
    if (typeof id !== 'string' && typeof id !== 'number') return 'code-mode host sent a response with an invalid id';
    if (!this.awaitingResponse.delete(id)) return `code-mode host answered unknown request id ${id}`;
    return undefined;
  }

  private noteCancel(params: unknown): void {
    const id = (params as { id?: unknown } | null)?.id;
    if ((typeof id === 'string' || typeof id === 'number') && this.hostRequests.has(id)) this.cancelledHostRequests.add(id);
  }

  private admitOutgoing(message: Message): boolean {
    const { id, method } = message as { id?: Id | null; method?: string };
    if (id === undefined || id === null) return true;
    if (method !== undefined) {
      this.awaitingResponse.add(id);
      return true;
    }
    this.hostRequests.delete(id);
    return !this.cancelledHostRequests.delete(id);
  }
}

/** A reader that passes on what `inspect` accepts and turns read errors into violations. */
class GuardedReader extends AbstractMessageReader {
  private violated = false;

  constructor(
    private readonly inner: MessageReader,
    private readonly inspect: (message: unknown) => string | undefined,
    private readonly onViolation: (violation: string) => void,
  ) {
    super();
    // A framing or JSON error leaves the stream unsynchronised, so it is fatal like any violation.
    inner.onError((error) => this.violate(`code-mode host wrote invalid data to stdout: ${error.message}`));
    inner.onClose(() => this.fireClose());
  }

  listen(callback: DataCallback): Disposable {
    return this.inner.listen((message) => {
      if (this.violated) return;
      const violation = this.inspect(message);
      if (violation === undefined) callback(message);
      else this.violate(violation);
    });
  }

  override dispose(): void {
    super.dispose();
    this.inner.dispose();
  }

  private violate(violation: string): void {
    if (this.violated) return;
    this.violated = true;
    this.onViolation(violation);
  }
}

/**
 * The client's own errors. Each has a stable string `code` callers can switch on; the message
 * says what happened and what to do. These never cross the wire: the host's errors arrive as
 * `RpcError`, carrying the host's numeric code and `data` unchanged.
 */

/** Every `code` a `CodeModeError` can carry. */
export type CodeModeErrorCode =
  | 'HOST_LOST'
  | 'HOST_REPLACED'
  | 'STALE_CELL'
  | 'HOST_UNAVAILABLE'
  | 'ABORTED'
  | 'TIMEOUT'
  | 'MESSAGE_TOO_LARGE'
  | 'SESSION_CLOSED'
  | 'PROTOCOL'
  | 'RPC';

/** Base class of every error the client throws. */
export abstract class CodeModeError extends Error {
  abstract readonly code: CodeModeErrorCode;

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The host child was lost (exit, signal, closed pipe, protocol violation, failed start) while this call was in flight. */
export class HostLostError extends CodeModeError {
  readonly code = 'HOST_LOST';

  constructor(readonly reason: string) {
    super(`${sentence(reason)} The call did not complete; the next call starts a new host.`);
  }
}

/** The session was rebound to a fresh host after a loss; this call was not run. */
export class HostReplacedError extends CodeModeError {
  readonly code = 'HOST_REPLACED';

  constructor(readonly generation: number) {
    super(
      `The code-mode host was replaced (the session is now in generation ${generation}). ` +
        'Stored values and running cells were lost. Tool calls already made may have taken effect; ' +
        'inspect their results before retrying. This call was not run; later calls work.',
    );
  }
}

/** A cell id of another host generation, refused without asking the host. */
export class StaleCellError extends CodeModeError {
  readonly code = 'STALE_CELL';

  constructor(readonly cellId: string, why: string) {
    super(`Cell ${cellId} ${why}; it no longer exists. Run a new cell instead.`);
  }
}

/** Too many host losses within the restart window; no new host is started. */
export class HostUnavailableError extends CodeModeError {
  readonly code = 'HOST_UNAVAILABLE';

  constructor(readonly lastCause: string, losses: number, windowMs: number) {
    super(
      `The code-mode host was lost ${losses} times within ${windowMs} ms (last: ${lastCause}); ` +
        'it is not restarted until the window has passed or client.restart() is called.',
    );
  }
}

/** The caller's AbortSignal fired. */
export class AbortedError extends CodeModeError {
  readonly code = 'ABORTED';

  constructor(what: string, reason?: unknown) {
    super(`${what} was aborted by the caller.`, { cause: reason });
  }
}

/** The caller's `timeoutMs` elapsed. */
export class TimeoutError extends CodeModeError {
  readonly code = 'TIMEOUT';

  constructor(what: string, readonly timeoutMs: number) {
    super(`${what} timed out after ${timeoutMs} ms.`);
  }
}

/** The request would exceed the host's `maxMessageBytes`; nothing was sent and the connection stays up. */
export class MessageTooLargeError extends CodeModeError {
  readonly code = 'MESSAGE_TOO_LARGE';

  constructor(readonly method: string, readonly bytes: number, readonly maxMessageBytes: number) {
    super(
      `The ${method} request is ${bytes} bytes, over the host's maxMessageBytes of ${maxMessageBytes}; ` +
        'nothing was sent. Send less data.',
    );
  }
}

/** The session, or the whole client, was closed. */
export class SessionClosedError extends CodeModeError {
  readonly code = 'SESSION_CLOSED';

  constructor(what: string) {
    super(`${what} is closed; open a new session.`);
  }
}

/** The host broke the protocol on this call; the host was killed and is restarted by the next call. */
export class ProtocolError extends CodeModeError {
  readonly code = 'PROTOCOL';

  constructor(readonly violation: string) {
    super(`${sentence(violation)} The host was killed; the next call starts a new one.`);
  }
}

/** An error response from the host, with its JSON-RPC code and data as sent. */
export class RpcError extends CodeModeError {
  readonly code = 'RPC';

  constructor(readonly rpcCode: number, message: string, readonly data: unknown) {
    super(message);
  }
}

/** `text` ending with exactly one full stop. */
function sentence(text: string): string {
  return text.endsWith('.') ? text : `${text}.`;
}

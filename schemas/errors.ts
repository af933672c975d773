/**
 * Every error code of the wire protocol (docs/protocol.md, Errors) with its stable `data.kind`.
 * Shared by the host and the client: neither defines a code of its own.
 */
export const ErrorCode = {
  /** The body is not JSON. */
  ParseError: -32700,
  /** Not a JSON-RPC 2.0 object, a duplicate in-flight id, or a second `initialize`. */
  InvalidRequest: -32600,
  /** Unknown request method. */
  MethodNotFound: -32601,
  /** Params fail the method's schema, or a limit is out of range. */
  InvalidParams: -32602,
  /** A host bug; the host keeps serving. */
  InternalError: -32603,
  /** A request before `initialize`. */
  ServerNotInitialized: -32002,
  /** `$/cancelRequest` on an in-flight `cell/execute` or `cell/wait`. */
  RequestCancelled: -32800,
  /** No open session has this id. */
  SessionNotFound: -32010,
  /** The session id is open, or was used before on this connection. */
  SessionExists: -32011,
  /** The host or the session is shutting down. */
  ShuttingDown: -32012,
  /** The cell already has an active observer. */
  CellBusy: -32020,
  /** A `cell/execute` in a persistent session while one of its cells still runs (`data.cellId`). */
  SessionBusy: -32021,
  /** A host limit (`data.limit`) is full. */
  Overloaded: -32030,
  /** A message over `maxMessageBytes`. */
  MessageTooLarge: -32031,
} as const;

export type ErrorKind = keyof typeof ErrorCode;
export type ErrorCodeValue = (typeof ErrorCode)[ErrorKind];

const kindByCode = new Map<number, ErrorKind>(
  (Object.keys(ErrorCode) as ErrorKind[]).map((kind) => [ErrorCode[kind], kind]),
);

/** The `data.kind` of a protocol error code, or undefined for a code this protocol does not define. */
export function errorKindOf(code: number): ErrorKind | undefined {
  return kindByCode.get(code);
}

/** The shape of `error.data` on every error the host sends. */
export interface ErrorData {
  kind: ErrorKind;
  [key: string]: unknown;
}

/** One schema violation, as listed in `data.errors` of an InvalidParams error. */
export interface ParamError {
  /** JSON Pointer into the params (`""` for the params object itself). */
  path: string;
  message: string;
}

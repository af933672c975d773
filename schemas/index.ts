/**
 * The protocol package: wire types, method names, limits, validation and error codes, shared by
 * the host and the client so neither defines the wire format on its own.
 */
export type {
  CancelParams,
  CellClosedParams,
  CellExecuteParams,
  CellExecuteResult,
  CellId,
  CellOutputParams,
  CellResponse,
  CellStatus,
  CellTerminateParams,
  CellTerminateResult,
  CellWaitParams,
  CellWaitResult,
  CellYieldParams,
  CellYieldResult,
  ClientCapabilities,
  ClientInfo,
  ContentItem,
  DelegateInvokeToolParams,
  DelegateInvokeToolResult,
  DelegateNotifyParams,
  DelegateNotifyResult,
  EffectiveSessionLimits,
  ExitParams,
  HostCapabilities,
  HostLimits,
  ImageDetail,
  ImageItem,
  InitializedParams,
  InitializeParams,
  InitializeResult,
  Language,
  MethodParams,
  MethodResults,
  ServerInfo,
  ResetReason,
  SessionCloseParams,
  SessionCloseResult,
  SessionId,
  SessionLimits,
  SessionOpenParams,
  SessionOpenResult,
  SessionResetParams,
  ShutdownParams,
  ShutdownResult,
  TextItem,
  ToolDefinition,
  ToolKind,
} from './generated/types.js';
export { ErrorCode, errorKindOf } from './errors.js';
export type { ErrorCodeValue, ErrorData, ErrorKind, ParamError } from './errors.js';
export {
  DEFAULT_HOST_LIMITS,
  DEFAULT_SESSION_LIMITS,
  DEFAULT_YIELD_TIME_MS,
  effectiveSessionLimits,
  HOST_LIMIT_BOUNDS,
  SESSION_LIMIT_BOUNDS,
  YIELD_TIME_MS_BOUNDS,
} from './limits.js';
export type { HostLimitName, LimitBounds } from './limits.js';
export { isMethodName, Methods, MethodTable, schemaStem } from './methods.js';
export type { ClientRequestMethod, Direction, HostRequestMethod, MethodInfo, MethodKind, MethodName } from './methods.js';
export { jsToolName } from './toolNames.js';
export { validateParams, validateResult } from './validator.js';
export type { Validation } from './validator.js';

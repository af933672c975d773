/**
 * The package's main export: a process-owned code-mode client (see docs/client.md).
 */
export { CodeModeClient } from './codeModeClient.js';
export { CodeModeSession } from './session.js';
export {
  AbortedError,
  CodeModeError,
  HostLostError,
  HostReplacedError,
  HostUnavailableError,
  MessageTooLargeError,
  ProtocolError,
  RpcError,
  SessionClosedError,
  StaleCellError,
  TimeoutError,
} from './errors.js';
export type { CodeModeErrorCode } from './errors.js';
export type { CallOptions } from './cancellation.js';
export type { HostLimitOptions } from './hostCommand.js';
export type {
  CellCloseStatus,
  CellClosedEvent,
  CellOutputEvent,
  CodeModeClientOptions,
  Delegate,
  ExecuteRequest,
  Notification,
  OpenSessionOptions,
  RestartOptions,
  SessionDelegate,
  SessionResetEvent,
  ToolCall,
  WaitRequest,
} from './types.js';
export { toolDeclaration, toolDeclarations, withDeclarations } from './declarations/toolDeclarations.js';
export type { ToolDeclarationOptions } from './declarations/toolDeclarations.js';
export { InputValidator, ToolInputError } from './declarations/inputValidation.js';
export { jsToolName } from './declarations/names.js';
export type {
  CellResponse,
  CellStatus,
  CellYieldResult,
  ContentItem,
  EffectiveSessionLimits,
  ResetReason,
  SessionLimits,
  ToolDefinition,
} from '../schemas/index.js';

/** `initialize`: version check, the client's streaming choice, and what this host offers. */
import type { InitializeParams, InitializeResult } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import type { HostState } from '../hostState.js';
import { HOST_NAME, hostVersion } from '../version.js';

export const PROTOCOL_VERSION = 1;

export function initialize(host: HostState, params: InitializeParams): InitializeResult {
  if (params.protocolVersion !== PROTOCOL_VERSION) throw hostError.unsupportedVersion(params.protocolVersion);
  host.lifecycle = { kind: 'running', streamOutput: params.capabilities?.cellOutput === true };
  return {
    protocolVersion: PROTOCOL_VERSION,
    serverInfo: { name: HOST_NAME, version: hostVersion() },
    capabilities: { languages: ['javascript', 'typescript'], cellOutput: true, cellYield: true },
    limits: host.limits,
  };
}

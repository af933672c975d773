/**
 * The defaults docs/protocol.md names (Host limits, Session limits), written out literally: tests compare the host
 * against the specification, not against the host's own constants.
 */
export const SPEC_SESSION_DEFAULTS = {
  maxYieldTimeMs: null,
  heapLimitMb: 128,
  cpuTimeLimitMs: 60000,
  wallTimeLimitMs: null,
  maxOutputBytes: 16777216,
  maxPendingToolCalls: 256,
  maxStoredBytes: 67108864,
};

export const SPEC_HOST_LIMITS = {
  maxMessageBytes: 67108864,
  maxInFlightRequests: 256,
  maxSessions: 256,
  maxActiveCells: 128,
  maxPendingDelegateCalls: 1024,
  maxSandboxProcesses: 4,
  sandboxIdleExitMs: 60000,
  maxHostMemoryBytes: 1073741824,
  sessionDefaults: SPEC_SESSION_DEFAULTS,
};

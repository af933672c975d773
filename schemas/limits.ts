/**
 * Bounds and defaults of every limit (PROTOCOL sections 2 and 3). The host takes its defaults and
 * CLI flag checks from here; the JSON Schemas carry the same numbers, and a test keeps the two
 * in sync.
 */
import type { EffectiveSessionLimits, HostLimits, SessionLimits } from './generated/types.js';

/** Inclusive bounds of one limit. */
export interface LimitBounds {
  readonly min: number;
  readonly max: number;
}

/** The host limits that are numbers, as opposed to `sessionDefaults`. */
export type HostLimitName = Exclude<keyof HostLimits, 'sessionDefaults'>;

export const SESSION_LIMIT_BOUNDS: Readonly<Record<keyof SessionLimits, LimitBounds>> = {
  maxYieldTimeMs: { min: 0, max: 86_400_000 },
  heapLimitMb: { min: 8, max: 16_384 },
  cpuTimeLimitMs: { min: 1, max: 86_400_000 },
  wallTimeLimitMs: { min: 1, max: 604_800_000 },
  maxOutputBytes: { min: 1024, max: 1_073_741_824 },
  maxPendingToolCalls: { min: 1, max: 1_000_000 },
  maxStoredBytes: { min: 0, max: 1_073_741_824 },
};

/** A `null` default means "no limit"; exactly these limits also accept `null` when requested. */
export const DEFAULT_SESSION_LIMITS: Readonly<EffectiveSessionLimits> = {
  maxYieldTimeMs: null,
  heapLimitMb: 128,
  cpuTimeLimitMs: 60_000,
  wallTimeLimitMs: null,
  maxOutputBytes: 16_777_216,
  maxPendingToolCalls: 256,
  maxStoredBytes: 67_108_864,
};

export const HOST_LIMIT_BOUNDS: Readonly<Record<HostLimitName, LimitBounds>> = {
  maxMessageBytes: { min: 1024, max: 1_073_741_824 },
  maxInFlightRequests: { min: 1, max: 1_000_000 },
  maxSessions: { min: 1, max: 1_000_000 },
  maxActiveCells: { min: 1, max: 100_000 },
  maxPendingDelegateCalls: { min: 1, max: 1_000_000 },
  maxSandboxProcesses: { min: 1, max: 256 },
  sandboxIdleExitMs: { min: 0, max: 86_400_000 },
  maxHostMemoryBytes: { min: 16_777_216, max: 1_099_511_627_776 },
};

/** Every field set: the host always announces the sandbox-process limits, optional in the schema for older hosts. */
export const DEFAULT_HOST_LIMITS: Readonly<Required<HostLimits>> = {
  maxMessageBytes: 67_108_864,
  maxInFlightRequests: 256,
  maxSessions: 256,
  maxActiveCells: 128,
  maxPendingDelegateCalls: 1024,
  maxSandboxProcesses: 4,
  sandboxIdleExitMs: 60_000,
  maxHostMemoryBytes: 1_073_741_824,
  sessionDefaults: DEFAULT_SESSION_LIMITS,
};

/** `yieldTimeMs` of `cell/execute` and `cell/wait`; the maximum is the largest delay a timer accepts. */
export const YIELD_TIME_MS_BOUNDS: LimitBounds = { min: 0, max: 2_147_483_647 };
export const DEFAULT_YIELD_TIME_MS = 10_000;

/**
 * The limits a session runs with: each requested limit, else the default. `null` is a request
 * (no limit); only an omitted limit falls back. Expects `requested` already validated.
 */
export function effectiveSessionLimits(
  defaults: EffectiveSessionLimits,
  requested: SessionLimits = {},
): EffectiveSessionLimits {
  return {
    maxYieldTimeMs: given(requested.maxYieldTimeMs, defaults.maxYieldTimeMs),
    heapLimitMb: given(requested.heapLimitMb, defaults.heapLimitMb),
    cpuTimeLimitMs: given(requested.cpuTimeLimitMs, defaults.cpuTimeLimitMs),
    wallTimeLimitMs: given(requested.wallTimeLimitMs, defaults.wallTimeLimitMs),
    maxOutputBytes: given(requested.maxOutputBytes, defaults.maxOutputBytes),
    maxPendingToolCalls: given(requested.maxPendingToolCalls, defaults.maxPendingToolCalls),
    maxStoredBytes: given(requested.maxStoredBytes, defaults.maxStoredBytes),
  };
}

function given<T>(value: T | undefined, fallback: T): T {
  return value === undefined ? fallback : value;
}

/**
 * The connection's lifecycle (docs/protocol.md, Lifecycle). Each state admits a fixed set of requests;
 * `admit` is the one place that decides.
 */
import { hostError } from './errors.js';

export type Lifecycle =
  | { kind: 'uninitialized' }
  | { kind: 'running'; streamOutput: boolean }
  /** `shutdown` is tearing sessions down, or the process is exiting. */
  | { kind: 'shuttingDown' }
  /** `shutdown` was answered; only `exit` is left. */
  | { kind: 'shutDown' };

/** Throws the error a request gets in this state, if any. */
export function admit(state: Lifecycle, method: string, isInitialize: boolean): void {
  switch (state.kind) {
    case 'uninitialized':
      if (!isInitialize) throw hostError.notInitialized(method);
      return;
    case 'running':
      if (isInitialize) throw hostError.alreadyInitialized();
      return;
    case 'shuttingDown':
    case 'shutDown':
      throw hostError.hostShuttingDown();
  }
}

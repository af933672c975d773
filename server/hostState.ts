/**
 * Everything one connection's host holds: its lifecycle, its sessions and the limits it
 * announced. `shutdown` and `teardown` are the two ways the sessions end.
 */
import type { HostLimits } from '../schemas/index.js';
import type { Lifecycle } from './lifecycle.js';
import type { SessionEnv } from './sessions/session.js';
import { SessionRegistry } from './sessions/sessionRegistry.js';

export class HostState {
  lifecycle: Lifecycle = { kind: 'uninitialized' };
  readonly sessions: SessionRegistry;
  private teardownDone: Promise<void> | undefined;

  constructor(
    readonly limits: HostLimits,
    env: SessionEnv,
  ) {
    this.sessions = new SessionRegistry(env, limits.sessionDefaults, limits.maxSessions);
  }

  /** Client-side streaming of `cell/output`, as negotiated by initialize. */
  get streamOutput(): boolean {
    return this.lifecycle.kind === 'running' && this.lifecycle.streamOutput;
  }

  /** The `shutdown` request: every session closes (every `cell/closed` sent) before it answers. */
  async shutdown(): Promise<null> {
    this.lifecycle = { kind: 'shuttingDown' };
    await this.teardown();
    this.lifecycle = { kind: 'shutDown' };
    return null;
  }

  /** Closes every session once, however many paths (shutdown, exit, EOF, signal) ask for it. */
  teardown(): Promise<void> {
    if (this.lifecycle.kind !== 'shutDown') this.lifecycle = { kind: 'shuttingDown' };
    this.teardownDone ??= this.sessions.closeAll();
    return this.teardownDone;
  }
}

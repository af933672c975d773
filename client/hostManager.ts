import type { CallScope } from './cancellation.js';
import { HostLostError, SessionClosedError } from './errors.js';
import { HostConnection, type ConnectionEnd, type ConnectionOptions } from './hostConnection.js';
import { RestartPolicy } from './restartPolicy.js';
import type { RestartOptions } from './types.js';

type HostState =
  | { kind: 'idle' }
  | { kind: 'starting'; start: Promise<HostConnection> }
  | { kind: 'running'; connection: HostConnection }
  | { kind: 'closed' };

/**
 * The client's one host: started lazily by the first call that needs it, shared by every
 * session, replaced (under the restart policy) by the next call after a loss.
 */
export class HostManager {
  private state: HostState = { kind: 'idle' };
  private readonly policy: RestartPolicy;

  constructor(
    private readonly options: ConnectionOptions,
    restart: RestartOptions | undefined,
  ) {
    this.policy = new RestartPolicy(restart);
  }

  /** The running host's process id, if one runs. */
  get pid(): number | undefined {
    return this.state.kind === 'running' ? this.state.connection.pid : undefined;
  }

  /**
   * The live connection, starting a host if there is none. Concurrent callers share one start;
   * a caller whose scope aborts stops waiting, the start goes on for the others.
   */
  async connection(scope?: CallScope): Promise<HostConnection> {
    for (;;) {
      const state = this.state;
      switch (state.kind) {
        case 'closed':
          throw new SessionClosedError('The client');
        case 'running':
          if (state.connection.isReady) return state.connection;
          // Lost, not yet reaped: the loss must be recorded before the next start is decided.
          await race(scope, state.connection.ended);
          continue;
        case 'starting':
          return race(scope, state.start);
        case 'idle':
          this.policy.checkStart();
          this.state = { kind: 'starting', start: this.start() };
      }
    }
  }

  /** Lets hosts start again after HOST_UNAVAILABLE. */
  restart(): void {
    this.policy.reset();
  }

  /** Stops the host for good (see HostConnection.stop); later calls fail with SESSION_CLOSED. */
  async close(): Promise<void> {
    const state = this.state;
    this.state = { kind: 'closed' };
    const connection = state.kind === 'running' ? state.connection : state.kind === 'starting' ? await state.start.catch(() => undefined) : undefined;
    await connection?.stop(this.options.closeStepMs);
  }

  private async start(): Promise<HostConnection> {
    let connection: HostConnection;
    try {
      connection = await HostConnection.start(this.options);
    } catch (error) {
      this.policy.recordLoss(error instanceof HostLostError ? error.reason : (error as Error).message);
      if (this.state.kind === 'starting') this.state = { kind: 'idle' };
      throw error;
    }
    // A close() that came meanwhile owns the new connection and stops it.
    if (this.state.kind === 'starting') this.state = { kind: 'running', connection };
    void connection.ended.then((end) => this.onEnded(connection, end));
    return connection;
  }

  private onEnded(connection: HostConnection, end: ConnectionEnd): void {
    if (end.kind === 'lost') this.policy.recordLoss(end.reason);
    if (this.state.kind === 'running' && this.state.connection === connection) this.state = { kind: 'idle' };
  }
}

function race<T>(scope: CallScope | undefined, work: Promise<T>): Promise<T> {
  return scope === undefined ? work : scope.race(work);
}

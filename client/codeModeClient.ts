import { withScope, type CallOptions } from './cancellation.js';
import { SessionClosedError } from './errors.js';
import { buildHostCommand } from './hostCommand.js';
import { HostManager } from './hostManager.js';
import { CodeModeSession } from './session.js';
import { sessionDelegate } from './sessionDelegate.js';
import type { CodeModeClientOptions, Delegate, OpenSessionOptions } from './types.js';

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_CLOSE_STEP_MS = 2_000;

/**
 * A process-owned code-mode client: it spawns the host as a child process, speaks the protocol
 * to it, and starts a new host when the child is lost. Callers see stable logical sessions.
 */
export class CodeModeClient {
  private readonly host: HostManager;
  private readonly delegate: Delegate;
  private readonly sessions = new Set<CodeModeSession>();
  private nextSessionNumber = 1;
  private closing: Promise<void> | undefined;

  constructor(options: CodeModeClientOptions) {
    this.delegate = options.delegate;
    this.host = new HostManager(
      {
        command: buildHostCommand(options.command, options.hostLimits),
        onStderr: options.onStderr,
        handshakeTimeoutMs: options.handshakeTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
        cellOutput: options.delegate.cellOutput !== undefined,
        closeStepMs: options.closeStepMs ?? DEFAULT_CLOSE_STEP_MS,
      },
      options.restart,
    );
  }

  /**
   * The host child's process id while one runs (undefined before the first call, after a loss
   * and after close). For diagnostics and tests; the client owns the process.
   */
  get hostPid(): number | undefined {
    return this.host.pid;
  }

  /**
   * Opens a logical session, starting the host if needed. If the caller aborts and the host
   * opened the session anyway, it is closed.
   */
  openSession(options: OpenSessionOptions = {}, callOptions?: CallOptions): Promise<CodeModeSession> {
    return withScope('openSession', callOptions, async (scope) => {
      if (this.closing !== undefined) throw new SessionClosedError('The client');
      const session: CodeModeSession = new CodeModeSession({
        id: `session-${this.nextSessionNumber++}`,
        host: this.host,
        delegate: sessionDelegate(this.delegate, options.delegate),
        limits: options.limits,
        persistent: options.persistent ?? false,
        onSessionReset: options.onSessionReset,
        onClosed: () => this.sessions.delete(session),
      });
      this.sessions.add(session);
      try {
        await session.open(scope);
      } catch (error) {
        if (error !== scope.reason) this.sessions.delete(session);
        throw error;
      }
      return session;
    });
  }

  /** Lets a new host start after HOST_UNAVAILABLE, without waiting for the restart window. */
  restart(): void {
    this.host.restart();
  }

  /**
   * Stops the host (shutdown and exit, then SIGTERM, then SIGKILL; no child is left behind) and
   * closes every session once its cells were reported closed. Idempotent; runs to completion even
   * when the caller stops waiting.
   */
  close(options?: CallOptions): Promise<void> {
    this.closing ??= (async () => {
      await this.host.close();
      await Promise.all([...this.sessions].map((session) => session.close()));
    })();
    const closing = this.closing;
    return withScope('client.close()', options, (scope) => scope.race(closing));
  }
}

/**
 * The sessions of one connection: open ones, closing ones, and the last 4096 ids ever opened,
 * which may not be opened again.
 */
import type { EffectiveSessionLimits, SessionLimits } from '../../schemas/index.js';
import { effectiveSessionLimits } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import { Session, type SessionEnv } from './session.js';

const REMEMBERED_SESSION_IDS = 4096;

type Entry = { state: 'open'; session: Session } | { state: 'closing'; session: Session; closed: Promise<void> };

export class SessionRegistry {
  private readonly entries = new Map<string, Entry>();
  private readonly remembered = new Set<string>();
  private nextAssigned = 1;

  constructor(
    private readonly env: SessionEnv,
    private readonly defaults: EffectiveSessionLimits,
    private readonly maxSessions: number,
  ) {}

  open(sessionId: string | undefined, limits: SessionLimits | undefined, persistent: boolean): Session {
    const id = sessionId ?? this.assignId();
    if (this.entries.has(id) || this.remembered.has(id)) throw hostError.sessionExists(id);
    if (this.entries.size >= this.maxSessions) throw hostError.overloaded('maxSessions', this.maxSessions);
    const session = new Session(id, effectiveSessionLimits(this.defaults, limits), this.env, persistent);
    this.entries.set(id, { state: 'open', session });
    this.remember(id);
    return session;
  }

  /** The open session with this id; a closing one answers ShuttingDown. */
  get(sessionId: string): Session {
    const entry = this.entries.get(sessionId);
    if (entry === undefined) throw hostError.sessionNotFound(sessionId);
    if (entry.state === 'closing') throw hostError.sessionClosing(sessionId);
    return entry.session;
  }

  async close(sessionId: string): Promise<void> {
    const session = this.get(sessionId);
    const closed = session.close().finally(() => this.entries.delete(sessionId));
    this.entries.set(sessionId, { state: 'closing', session, closed });
    await closed;
  }

  /** Closes every session, including ones already closing. */
  async closeAll(): Promise<void> {
    await Promise.all(
      [...this.entries.entries()].map(([id, entry]) => (entry.state === 'open' ? this.close(id) : entry.closed)),
    );
  }

  private assignId(): string {
    for (;;) {
      const id = `session-${this.nextAssigned++}`;
      if (!this.entries.has(id) && !this.remembered.has(id)) return id;
    }
  }

  private remember(id: string): void {
    this.remembered.add(id);
    if (this.remembered.size > REMEMBERED_SESSION_IDS) {
      const oldest = this.remembered.values().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
  }
}

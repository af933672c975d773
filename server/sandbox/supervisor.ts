/**
 * The host's Sandbox: runs every cell in a sandbox process (sandboxProcess.ts) and decides which.
 *
 * Each session is pinned to one process. While fewer than `maxProcesses` exist, a session without
 * a process gets one of its own (an idle, unpinned one first); beyond that it shares the least
 * loaded. A process without cells exits after `idleExitMs`, except the last one, kept warm so a
 * cell does not pay a process start (the first is started by `warm()`). A process that dies ends
 * only its own cells (as `lost`); its sessions are pinned again on their next cell. Replacements after crashes are rate-limited: each
 * crash within CRASH_WINDOW_MS of the previous doubles the delay before the next process starts.
 * A persistent session's realm lives in its session's process (supervisedRealm.ts); a process
 * holding a realm is never retired for being idle, as that would drop the session's variables.
 */
import type { Logger } from '../log.js';
import type { CellEvents, CellProgram, CellRun, Realm, Sandbox } from './api.js';
import { SandboxProcess } from './sandboxProcess.js';
import { SupervisedRealm, type RealmPlacement } from './supervisedRealm.js';

export interface SupervisorOptions {
  logger: Logger;
  logLevel: string;
  /** Sandbox processes at most (HostLimits.maxSandboxProcesses). */
  maxProcesses: number;
  /** How long a process without cells lives on. */
  idleExitMs: number;
  /** Resolves once the host's output is draining (see SandboxProcessOptions). */
  whenOutputDrains: () => Promise<void>;
}

const CRASH_WINDOW_MS = 30_000;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 5_000;

interface Member {
  process: SandboxProcess;
  sessions: Set<string>;
  idleTimer: NodeJS.Timeout | null;
}

export class Supervisor implements Sandbox {
  private readonly members = new Set<Member>();
  private readonly pins = new Map<string, Member>();
  private disposed = false;
  private lastCrashAt = -Infinity;
  private backoffMs = 0;
  private readonly runningCells = new Map<Member, number>();
  /** Processes ended on purpose (idle): their exit is not a crash. */
  private readonly retired = new Set<Member>();

  constructor(private readonly options: SupervisorOptions) {}

  /**
   * Starts a process now when there is none, so that the first cell finds it started or starting
   * instead of waiting for a whole process start. The host calls it once its handshake is done
   * (hostServer.ts); without that call, the first cell starts one.
   */
  warm(): void {
    if (!this.disposed && this.members.size === 0) this.spawn();
  }

  /** Sandbox processes alive now, for tests and benchmarks. */
  get pids(): number[] {
    return [...this.members].map((member) => member.process.child.pid ?? -1);
  }

  async start(program: CellProgram, events: CellEvents): Promise<CellRun> {
    const member = await this.placed(program.sessionId);
    return this.counted(member, () => member.process.start(program, events));
  }

  openRealm(heapLimitMb: number): Realm {
    return new SupervisedRealm(heapLimitMb, this.placement);
  }

  dispose(): void {
    this.disposed = true;
    for (const member of this.members) {
      if (member.idleTimer !== null) clearTimeout(member.idleTimer);
      member.process.dispose();
    }
  }

  private readonly placement: RealmPlacement = {
    processFor: async (sessionId) => (await this.placed(sessionId)).process,
    run: (process, start) => {
      const member = this.memberOf(process);
      return member === undefined ? start() : this.counted(member, start);
    },
    released: (process) => {
      const member = this.memberOf(process);
      if (member !== undefined && this.load(member) === 0) this.idleSoon(member);
    },
  };

  private memberOf(process: SandboxProcess): Member | undefined {
    for (const member of this.members) if (member.process === process) return member;
    return undefined;
  }

  /** Runs `start` as one of `member`'s running cells until its run is done. */
  private async counted(member: Member, start: () => Promise<CellRun>): Promise<CellRun> {
    this.cellStarted(member);
    let run: CellRun;
    try {
      run = await start();
    } catch (error) {
      this.cellEnded(member);
      throw error;
    }
    void run.done.then(() => this.cellEnded(member));
    return run;
  }

  /** The session's process; a session that must be pinned again waits out the crash backoff first. */
  private async placed(sessionId: string): Promise<Member> {
    const wait = this.lastCrashAt + this.backoffMs - performance.now();
    if (wait > 0 && !this.pinnedAlive(sessionId)) await new Promise((resolve) => setTimeout(resolve, wait));
    return this.memberFor(sessionId);
  }

  private pinnedAlive(sessionId: string): boolean {
    return this.pins.get(sessionId)?.process.alive ?? false;
  }

  /** Synchronous, so that concurrent starts see each other's pins. */
  private memberFor(sessionId: string): Member {
    const pinned = this.pins.get(sessionId);
    if (pinned !== undefined && pinned.process.alive) return pinned;
    const member = this.freeMember() ?? this.leastLoaded();
    member.sessions.add(sessionId);
    this.pins.set(sessionId, member);
    return member;
  }

  /** An unpinned process, or a new one while there are fewer than maxProcesses; null when full. */
  private freeMember(): Member | null {
    for (const member of this.members) if (member.sessions.size === 0) return member;
    return this.members.size < this.options.maxProcesses ? this.spawn() : null;
  }

  private leastLoaded(): Member {
    let best: Member | undefined;
    for (const member of this.members) {
      if (best === undefined || this.load(member) < this.load(best) || (this.load(member) === this.load(best) && member.sessions.size < best.sessions.size)) best = member;
    }
    return best ?? this.spawn();
  }

  private load(member: Member): number {
    return this.runningCells.get(member) ?? 0;
  }

  private spawn(): Member {
    const member: Member = {
      process: new SandboxProcess({
        logger: this.options.logger,
        logLevel: this.options.logLevel,
        whenOutputDrains: this.options.whenOutputDrains,
        onExit: (cause) => this.exited(member, cause),
      }),
      sessions: new Set(),
      idleTimer: null,
    };
    this.members.add(member);
    this.options.logger.debug(`sandbox process ${member.process.child.pid} started`);
    return member;
  }

  private cellStarted(member: Member): void {
    this.runningCells.set(member, this.load(member) + 1);
    if (member.idleTimer !== null) clearTimeout(member.idleTimer);
    member.idleTimer = null;
  }

  private cellEnded(member: Member): void {
    const load = this.load(member) - 1;
    this.runningCells.set(member, load);
    if (load > 0) return;
    this.idleSoon(member);
  }

  private idleSoon(member: Member): void {
    if (!member.process.alive || this.disposed || member.process.realmCount > 0) return;
    if (member.idleTimer !== null) clearTimeout(member.idleTimer);
    member.idleTimer = setTimeout(() => this.retire(member), this.options.idleExitMs);
    member.idleTimer.unref();
  }

  /** An idle process exits, unless it is the last one (kept warm). */
  private retire(member: Member): void {
    member.idleTimer = null;
    if (this.load(member) > 0 || member.process.realmCount > 0 || this.members.size <= 1) return;
    this.unpin(member);
    this.retired.add(member);
    member.process.dispose();
  }

  private exited(member: Member, cause: string): void {
    this.unpin(member);
    if (member.idleTimer !== null) clearTimeout(member.idleTimer);
    this.runningCells.delete(member);
    if (this.retired.delete(member) || this.disposed) return;
    const now = performance.now();
    this.backoffMs = now - this.lastCrashAt < CRASH_WINDOW_MS ? Math.min(MAX_BACKOFF_MS, Math.max(FIRST_BACKOFF_MS, this.backoffMs * 2)) : 0;
    this.lastCrashAt = now;
    this.options.logger.error(`sandbox process ${member.process.child.pid} exited: ${cause}; its cells ended, their sessions stay open`);
  }

  private unpin(member: Member): void {
    this.members.delete(member);
    for (const session of member.sessions) if (this.pins.get(session) === member) this.pins.delete(session);
    member.sessions.clear();
  }
}

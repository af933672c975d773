import { HostUnavailableError } from './errors.js';
import type { RestartOptions } from './types.js';

const DEFAULT_MAX_RESTARTS = 5;
const DEFAULT_RESTART_WINDOW_MS = 180_000;

/**
 * A sliding window over host losses (vscode-languageclient's "5 crashes in 3 minutes"): more
 * than `maxRestarts` losses within `windowMs` and no new host is started, until the oldest loss
 * leaves the window or `reset()` is called. Failed starts count as losses.
 */
export class RestartPolicy {
  private readonly maxRestarts: number;
  private readonly windowMs: number;
  private losses: number[] = [];
  private lastCause = '';

  constructor(options: RestartOptions = {}, private readonly now: () => number = Date.now) {
    this.maxRestarts = options.maxRestarts ?? DEFAULT_MAX_RESTARTS;
    this.windowMs = options.windowMs ?? DEFAULT_RESTART_WINDOW_MS;
  }

  recordLoss(cause: string): void {
    this.losses.push(this.now());
    this.lastCause = cause;
  }

  /** Throws HOST_UNAVAILABLE, naming the last cause, while starting a host is not allowed. */
  checkStart(): void {
    const since = this.now() - this.windowMs;
    this.losses = this.losses.filter((at) => at > since);
    if (this.losses.length > this.maxRestarts) throw new HostUnavailableError(this.lastCause, this.losses.length, this.windowMs);
  }

  reset(): void {
    this.losses = [];
  }
}

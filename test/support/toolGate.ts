/**
 * Lets a test order a cell's steps by events instead of time: each `tools.gate()` the cell calls
 * is held by the test until it opens that call, and the test can wait for a call to arrive. A
 * cell thus says "I got here" (the call reaching the wire) and "go on" (the answer).
 */
import type { Message, RawHost } from './rawHost.js';

export const GATE_TOOL = { name: 'gate' } as const;

type Held = { message: Message; open: (result: unknown) => void };

export class ToolGate {
  private readonly held: Held[] = [];
  private readonly arrivals: Array<{ count: number; resolve: () => void }> = [];

  /** Installs itself as the host's delegate; other tools are answered by `others` (default: their name). */
  constructor(host: RawHost, others: (message: Message) => unknown = (m) => ({ result: (m.params as any).tool.name })) {
    host.delegate = (message) => {
      if (message.method !== 'delegate/invokeTool' || (message.params as any).tool.name !== GATE_TOOL.name) return others(message);
      return new Promise((open) => {
        this.held.push({ message, open });
        for (const arrival of this.arrivals.filter((a) => this.held.length >= a.count)) {
          this.arrivals.splice(this.arrivals.indexOf(arrival), 1);
          arrival.resolve();
        }
      });
    };
  }

  /** Resolves once `count` gate calls have reached the client in all. */
  arrived(count = 1): Promise<void> {
    if (this.held.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.arrivals.push({ count, resolve }));
  }

  /** Waits for the `index`th gate call (0-based) to arrive, then answers it so the cell goes on. */
  async open(index = 0, result: unknown = null): Promise<void> {
    await this.arrived(index + 1);
    this.held[index]?.open({ result });
  }
}

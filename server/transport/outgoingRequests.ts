/**
 * Ids of host-to-client requests written and not yet answered, so that a client response is
 * matched to its request (or logged as unknown) before it reaches the dispatcher.
 */
import type { JsonRpcId } from './errorResponses.js';

const DECIMAL = /^(0|-?[1-9][0-9]*)$/;

export class OutgoingRequests {
  private readonly ids = new Set<JsonRpcId>();

  add(id: JsonRpcId): void {
    this.ids.add(id);
  }

  /** Forgets `id` (its request could not be written) and says whether it was pending. */
  settle(id: JsonRpcId): boolean {
    return this.ids.delete(id);
  }

  /**
   * Forgets the pending request a response names and returns its id as the host sent it, or
   * undefined when none is pending. The host numbers its requests, and a client that echoes 0
   * as "0" unambiguously means 0, so a decimal string matches the number it spells.
   */
  claim(id: JsonRpcId): JsonRpcId | undefined {
    if (this.ids.delete(id)) return id;
    if (typeof id === 'string' && DECIMAL.test(id) && this.ids.delete(Number(id))) return Number(id);
    return undefined;
  }
}

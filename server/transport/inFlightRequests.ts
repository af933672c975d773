/**
 * Client requests admitted and not yet answered: enforces the duplicate-id rule and
 * `maxInFlightRequests`, and tells the writer whether a response belongs to a batch.
 *
 * Ids are keyed by `String(id)`, so `1` and `"1"` are the same id: vscode-jsonrpc keys its
 * request queue by `'req-' + id` and cancellation by the id, and would mix the two up.
 */
import type { BatchReply } from './batchReply.js';
import type { JsonRpcId } from './errorResponses.js';

/** Where the response of an in-flight request goes: straight out, or into its batch's slot. */
export type ResponseRoute = { kind: 'direct' } | { kind: 'batch'; reply: BatchReply; slot: number };

export type Admission = 'admitted' | 'duplicate' | 'overloaded';

export class InFlightRequests {
  private readonly routes = new Map<string, ResponseRoute>();

  constructor(readonly limit: number) {}

  /** Admits `id` unless it is already in flight or the limit is reached; `route` runs only on admission. */
  admit(id: JsonRpcId, route: () => ResponseRoute): Admission {
    const key = String(id);
    if (this.routes.has(key)) return 'duplicate';
    if (this.routes.size >= this.limit) return 'overloaded';
    this.routes.set(key, route());
    return 'admitted';
  }

  routeOf(id: JsonRpcId): ResponseRoute | undefined {
    return this.routes.get(String(id));
  }

  /** Called once the response for `id` has been written. */
  release(id: JsonRpcId): void {
    this.routes.delete(String(id));
  }
}

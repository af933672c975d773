/**
 * Ids of host-to-client requests written and not yet answered, so a client response with an
 * unknown id can be logged: vscode-jsonrpc drops those without a word unless tracing is on.
 * Keyed by the exact id (number vs string), as vscode-jsonrpc matches responses.
 */
import type { JsonRpcId } from './errorResponses.js';

export class OutgoingRequests {
  private readonly ids = new Set<JsonRpcId>();

  add(id: JsonRpcId): void {
    this.ids.add(id);
  }

  /** Forgets `id` and says whether it was pending. */
  settle(id: JsonRpcId): boolean {
    return this.ids.delete(id);
  }
}

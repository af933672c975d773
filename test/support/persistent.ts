/** Helpers for persistent-session tests over a RawHost. */
import type { Message, RawHost } from './rawHost.js';
import type { CellResponse } from './cells.js';

export async function openPersistent(host: RawHost, sessionId = 'p', limits?: Record<string, unknown>): Promise<string> {
  const result = await host.call('session/open', { sessionId, persistent: true, ...(limits === undefined ? {} : { limits }) });
  if (result.persistent !== true) throw new Error(`session/open did not echo persistent: ${JSON.stringify(result)}`);
  return sessionId;
}

/** A request's response together with where it arrived among the received messages. */
export async function requestAt(host: RawHost, method: string, params: unknown): Promise<{ response: Message; index: number }> {
  const response = await host.request(method, params);
  return { response, index: host.received.indexOf(response) };
}

export async function cellIn(host: RawHost, sessionId: string, source: string, extra: Record<string, unknown> = {}): Promise<CellResponse> {
  return host.call<CellResponse>('cell/execute', { sessionId, source, ...extra });
}

/** The `session/reset` notifications of a session, with their positions among the received messages. */
export function resetsOf(host: RawHost, sessionId: string): Array<{ params: any; index: number }> {
  return host.received.flatMap((m, index) =>
    !Array.isArray(m) && m.method === 'session/reset' && (m.params as { sessionId?: unknown }).sessionId === sessionId ? [{ params: m.params, index }] : [],
  );
}

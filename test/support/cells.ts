/** Small helpers for cell tests over a RawHost. */
import type { Message, RawHost } from './rawHost.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface CellResponse {
  cellId: string;
  status: 'yielded' | 'completed' | 'terminated' | 'missing';
  items: Array<{ type: 'text'; text: string } | { type: 'image'; imageUrl: string; detail?: string }>;
  error: string | null;
  durationMs: number;
  pendingToolCalls: string[];
}

export const texts = (response: CellResponse) => response.items.map((item) => (item.type === 'text' ? item.text : `[image ${item.imageUrl}]`));

export async function openSession(host: RawHost, sessionId = 's', limits?: Record<string, unknown>): Promise<string> {
  await host.call('session/open', limits === undefined ? { sessionId } : { sessionId, limits });
  return sessionId;
}

export function execute(host: RawHost, params: Record<string, unknown>, timeoutMs?: number): Promise<CellResponse> {
  return host.call<CellResponse>('cell/execute', { sessionId: 's', ...params }, timeoutMs);
}

/** Index of the first received message matching `match`, or -1. */
export function indexOf(host: RawHost, match: (m: Message) => boolean): number {
  return host.received.findIndex((m) => !Array.isArray(m) && match(m));
}

/** The `cell/closed` notification of a cell. */
export function cellClosed(host: RawHost, cellId: string, sessionId = 's', timeoutMs?: number): Promise<Message> {
  return host.notification('cell/closed', (p) => p.cellId === cellId && p.sessionId === sessionId, timeoutMs);
}

/**
 * Prints each item of a cell's output exactly once. Items stream in through `cell/output` as the
 * cell makes them, and the next observation returns the same items again (docs/protocol.md, Notifications);
 * it also returns what never streamed (a notification the host dropped as oversize, the
 * truncation marker). So streamed items are printed at once and remembered, per cell, until an
 * observation returns them; whatever an observation returns beyond them is printed then.
 */
import type { CellResponse, ContentItem } from '../index.js';

export class OutputPrinter {
  /** Per cell: items printed as they streamed that no observation has returned yet, in order. */
  private readonly unconfirmed = new Map<string, string[]>();

  constructor(private readonly printLine: (line: string) => void) {}

  streamed(cellId: string, items: readonly ContentItem[]): void {
    const pending = this.unconfirmed.get(cellId) ?? [];
    for (const item of items) {
      this.printLine(formatItem(item));
      pending.push(JSON.stringify(item));
    }
    if (pending.length > 0) this.unconfirmed.set(cellId, pending);
  }

  /**
   * An observation's items are everything buffered since the previous one, in order, so the
   * streamed items they contain come first among the unconfirmed ones; streamed items the
   * observation does not contain came after it and stay for the next.
   */
  observed(response: CellResponse): void {
    const pending = this.unconfirmed.get(response.cellId) ?? [];
    for (const item of response.items) {
      if (pending[0] === JSON.stringify(item)) pending.shift();
      else this.printLine(formatItem(item));
    }
    if (pending.length === 0 || response.status !== 'yielded') this.unconfirmed.delete(response.cellId);
  }
}

/** A text item as it is; an image as `[image <mime>, N bytes]`. */
function formatItem(item: ContentItem): string {
  if (item.type === 'text') return item.text;
  const { mime, bytes } = describeDataUrl(item.imageUrl);
  return `[image ${mime}, ${bytes} bytes]`;
}

function describeDataUrl(url: string): { mime: string; bytes: number } {
  const match = /^data:([^,]*),(.*)$/s.exec(url);
  if (match === null) return { mime: 'unknown', bytes: Buffer.byteLength(url) };
  const [, header = '', data = ''] = match;
  const params = header.split(';');
  const mime = params[0] || 'text/plain';
  if (params.includes('base64')) return { mime, bytes: Buffer.from(data, 'base64').length };
  try {
    return { mime, bytes: Buffer.byteLength(decodeURIComponent(data)) };
  } catch {
    return { mime, bytes: Buffer.byteLength(data) };
  }
}

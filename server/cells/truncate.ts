/**
 * `maxOutputTokens` for one response (a token counted as 4 bytes). When the response's text is
 * over budget, the text is cut in the middle: the first half of the budget and the last half are
 * kept, a marker `…N tokens truncated…` stands where the cut was, and images are always kept.
 */
import type { ContentItem } from '../../schemas/index.js';

export const BYTES_PER_TOKEN = 4;

export function truncateItems(items: ContentItem[], maxOutputTokens: number | undefined): ContentItem[] {
  if (maxOutputTokens === undefined) return items;
  const budget = maxOutputTokens * BYTES_PER_TOKEN;
  const textBytes = items.reduce((sum, item) => sum + (item.type === 'text' ? Buffer.byteLength(item.text) : 0), 0);
  if (textBytes <= budget) return items;

  const headBudget = Math.floor(budget / 2);
  const tailBudget = budget - headBudget;
  const head = takeText(items, headBudget, 'start');
  // head.bytes + tail.bytes <= budget < textBytes, so the two never share a byte.
  const tail = takeText(items, tailBudget, 'end');
  const droppedTokens = Math.ceil((textBytes - head.bytes - tail.bytes) / BYTES_PER_TOKEN);

  const result: ContentItem[] = [];
  items.forEach((item, index) => {
    if (item.type === 'image') {
      result.push(item);
      return;
    }
    const headPart = head.parts.get(index);
    const tailPart = tail.parts.get(index);
    if (headPart !== undefined) result.push({ type: 'text', text: headPart });
    if (index === head.cutIndex) result.push({ type: 'text', text: `…${droppedTokens} tokens truncated…` });
    if (tailPart !== undefined) result.push({ type: 'text', text: tailPart });
  });
  return result;
}

interface TakenText {
  /** Kept text per item index. */
  parts: Map<number, string>;
  bytes: number;
  /** For the head: the index of the item after whose kept part the marker goes. */
  cutIndex: number;
}

/** Keeps up to `budget` bytes of text from one end, cutting one item on a character boundary. */
function takeText(items: ContentItem[], budget: number, from: 'start' | 'end'): TakenText {
  const parts = new Map<number, string>();
  let remaining = budget;
  let cutIndex = -1;
  const order = items.map((_, i) => i);
  if (from === 'end') order.reverse();
  for (const index of order) {
    const item = items[index];
    if (item === undefined || item.type !== 'text') continue;
    cutIndex = index;
    const size = Buffer.byteLength(item.text);
    if (size <= remaining) {
      parts.set(index, item.text);
      remaining -= size;
      continue;
    }
    const piece = from === 'start' ? utf8Prefix(item.text, remaining) : utf8Suffix(item.text, remaining);
    if (piece.length > 0) parts.set(index, piece);
    remaining -= Buffer.byteLength(piece);
    break;
  }
  return { parts, bytes: budget - remaining, cutIndex };
}

function utf8Prefix(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text);
  let end = Math.min(maxBytes, buffer.length);
  // Step back over UTF-8 continuation bytes so no character is split.
  while (end > 0 && end < buffer.length && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--;
  return buffer.subarray(0, end).toString();
}

function utf8Suffix(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text);
  let start = Math.max(0, buffer.length - maxBytes);
  while (start < buffer.length && ((buffer[start] ?? 0) & 0xc0) === 0x80) start++;
  return buffer.subarray(start).toString();
}

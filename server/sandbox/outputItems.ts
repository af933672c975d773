/**
 * Reading the output batches the bootstrap hands over as JSON. The cell can redefine `toJSON`
 * on prototypes, which changes what `JSON.stringify` makes of a batch, so the host checks every
 * item instead of trusting the text.
 */
import type { ContentItem, ImageDetail } from '../../schemas/index.js';

const DETAILS = new Set(['auto', 'low', 'high', 'original']);

function toItem(value: unknown): ContentItem | null {
  if (typeof value !== 'object' || value === null) return null;
  const item = value as Record<string, unknown>;
  if (item.type === 'text' && typeof item.text === 'string') return { type: 'text', text: item.text };
  if (item.type !== 'image' || typeof item.imageUrl !== 'string') return null;
  if (item.detail === undefined) return { type: 'image', imageUrl: item.imageUrl };
  if (typeof item.detail !== 'string' || !DETAILS.has(item.detail)) return null;
  return { type: 'image', imageUrl: item.imageUrl, detail: item.detail as ImageDetail };
}

/** The well-formed items of a batch, in order; anything else in it is skipped. */
export function parseOutputBatch(json: string): ContentItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const items: ContentItem[] = [];
  for (const value of parsed) {
    const item = toItem(value);
    if (item !== null) items.push(item);
  }
  return items;
}

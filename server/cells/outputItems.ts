/**
 * The host's own check of every output item a cell produced, whatever the isolate sent: a cell
 * controls the JSON its batches are made of (it can define `Array.prototype.toJSON`), so the
 * bootstrap's checks are a courtesy and this is the rule. Items are rebuilt from known keys only.
 *
 * Images must be base64 data: URLs of a raster type in RASTER_IMAGE_TYPES: no remote or local
 * URLs a client might fetch, no SVG (scripts) or HTML.
 */
import type { ContentItem, ImageDetail } from '../../schemas/index.js';

export const RASTER_IMAGE_TYPES = ['png', 'jpeg', 'gif', 'webp', 'avif', 'bmp'] as const;

const IMAGE_URL = new RegExp(`^data:image/(?:${RASTER_IMAGE_TYPES.join('|')});base64,[A-Za-z0-9+/]*={0,2}$`, 'i');
const DETAILS: readonly unknown[] = ['auto', 'low', 'high', 'original'] satisfies ImageDetail[];

/** The item as the host forwards it, or why it is refused. */
export function checkItem(value: unknown): { ok: true; item: ContentItem } | { ok: false; reason: string } {
  if (typeof value !== 'object' || value === null) return { ok: false, reason: 'not an object' };
  const { type, text, imageUrl, detail } = value as Record<string, unknown>;
  if (type === 'text') return typeof text === 'string' ? { ok: true, item: { type, text } } : { ok: false, reason: 'text item without a string text' };
  if (type !== 'image') return { ok: false, reason: `unknown item type ${JSON.stringify(type)?.slice(0, 40)}` };
  if (typeof imageUrl !== 'string' || !IMAGE_URL.test(imageUrl)) {
    return { ok: false, reason: `image is not a base64 data: URL of ${RASTER_IMAGE_TYPES.join(', ')}` };
  }
  if (detail === undefined) return { ok: true, item: { type, imageUrl } };
  if (!DETAILS.includes(detail)) return { ok: false, reason: 'image detail is not auto, low, high or original' };
  return { ok: true, item: { type, imageUrl, detail: detail as ImageDetail } };
}

/** Characters JSON.stringify escapes (lone surrogates included), which make a string longer on the wire. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what JSON escapes
const NEEDS_ESCAPE = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** UTF-8 bytes of `value` as a JSON string literal, quotes included: what it costs in a response. */
export function jsonStringBytes(value: string): number {
  // Most output has nothing to escape; only the rest pays for a second representation.
  return NEEDS_ESCAPE.test(value) ? Buffer.byteLength(JSON.stringify(value)) : Buffer.byteLength(value) + 2;
}

/** The size of an item on the wire: its payload escaped (what maxOutputBytes bounds), and its whole JSON. */
export function itemBytes(item: ContentItem): { payload: number; json: number } {
  // {"type":"text","text":"..."},  /  {"type":"image","imageUrl":"...","detail":"original"},
  const payload = jsonStringBytes(item.type === 'text' ? item.text : item.imageUrl) - 2;
  if (item.type === 'text') return { payload, json: payload + 26 };
  return { payload, json: payload + 31 + (item.detail === undefined ? 0 : 20) };
}

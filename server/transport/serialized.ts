/** A message serialized exactly once, with the UTF-8 byte count the size limit and header need. */
import type { Message } from 'vscode-jsonrpc/node';
import type { JsonRpcId } from './errorResponses.js';

export interface Serialized {
  /** The message's id, or null for notifications and id-less responses. */
  id: JsonRpcId | null;
  json: string;
  bytes: number;
}

/** Throws as JSON.stringify does (BigInt, cycles). */
export function serialize(message: Message & { id?: JsonRpcId | null }): Serialized {
  const json = JSON.stringify(message);
  return { id: message.id ?? null, json, bytes: Buffer.byteLength(json, 'utf8') };
}

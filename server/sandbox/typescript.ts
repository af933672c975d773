/**
 * TypeScript cells: types are stripped (not type-checked) with sucrase, keeping line numbers.
 * sucrase is loaded on the first TypeScript cell, not at start-up: importing it costs 25–35 ms,
 * about a tenth of host_start, which JavaScript-only clients should not pay.
 */
import { Worker } from 'node:worker_threads';
import type * as Sucrase from 'sucrase';
import { messageOf } from './errors.js';

/** Sources above this size are stripped in a worker thread, bounded by the cell's CPU limit. */
const INLINE_MAX_CHARS = 256 * 1024;

export type Stripped = { ok: true; code: string } | { ok: false; error: string };

let loading: Promise<typeof Sucrase> | undefined;

export async function stripTypes(source: string, filename: string): Promise<Stripped> {
  const { transform } = await (loading ??= import('sucrase'));
  try {
    const { code } = transform(source, { transforms: ['typescript'], disableESTransforms: true, filePath: filename });
    return { ok: true, code };
  } catch (error) {
    return { ok: false, error: `SyntaxError: ${messageOf(error)} [${filename}]` };
  }
}

/**
 * Strips a cell's types within `limitMs`: small sources at once, large ones in a worker thread
 * that is terminated when the limit passes, so a huge source neither blocks the sandbox process
 * nor escapes the cell's CPU limit.
 */
export function stripTypesBounded(source: string, filename: string, limitMs: number): Promise<Stripped> {
  if (source.length <= INLINE_MAX_CHARS) return stripTypes(source, filename);
  return new Promise((resolve) => {
    const worker = new Worker(new URL('./stripWorker.js', import.meta.url), { workerData: { source, filename } });
    const timer = setTimeout(() => {
      void worker.terminate();
      resolve({ ok: false, error: `cell exceeded its CPU time limit of ${limitMs} ms while its TypeScript types were being stripped` });
    }, limitMs);
    worker.once('message', (stripped: Stripped) => {
      clearTimeout(timer);
      void worker.terminate();
      resolve(stripped);
    });
    worker.once('error', (error) => {
      clearTimeout(timer);
      resolve({ ok: false, error: `SyntaxError: ${messageOf(error)} [${filename}]` });
    });
  });
}

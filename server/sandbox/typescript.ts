/**
 * TypeScript cells: types are stripped (not type-checked) with sucrase, keeping line numbers.
 * sucrase is loaded on the first TypeScript cell, not at start-up: importing it costs 25–35 ms,
 * about a tenth of host_start, which JavaScript-only clients should not pay.
 */
import type * as Sucrase from 'sucrase';
import { messageOf } from './errors.js';

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

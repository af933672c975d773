/** TypeScript cells: types are stripped (not type-checked) with sucrase, keeping line numbers. */
import { transform } from 'sucrase';
import { messageOf } from './errors.js';

export type Stripped = { ok: true; code: string } | { ok: false; error: string };

export function stripTypes(source: string, filename: string): Stripped {
  try {
    const { code } = transform(source, { transforms: ['typescript'], disableESTransforms: true, filePath: filename });
    return { ok: true, code };
  } catch (error) {
    return { ok: false, error: `SyntaxError: ${messageOf(error)} [${filename}]` };
  }
}

/** A cell read from a file: its source, and its language from the extension. */
import { readFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import type { ExecuteRequest } from '../index.js';
import { UsageError } from './usageError.js';

const TYPESCRIPT_EXTENSIONS = new Set(['.ts', '.mts', '.cts']);

export async function readCellFile(path: string, cwd: string): Promise<Pick<ExecuteRequest, 'source' | 'language'>> {
  let source: string;
  try {
    source = await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (error as Error).message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
  return { source, language: TYPESCRIPT_EXTENSIONS.has(extname(path).toLowerCase()) ? 'typescript' : 'javascript' };
}

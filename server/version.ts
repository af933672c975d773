/** The host's name and version, read once from the package manifest. */
import { readFileSync } from 'node:fs';
import { PACKAGE_MANIFEST } from './packageFiles.js';

export const HOST_NAME = 'codemode-host';

let cached: string | undefined;

export function hostVersion(): string {
  cached ??= (JSON.parse(readFileSync(PACKAGE_MANIFEST, 'utf8')) as { version: string }).version;
  return cached;
}

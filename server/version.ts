/** The host's name and version, read once from the package manifest. */
import { readFileSync } from 'node:fs';

export const HOST_NAME = 'codemode-host';

let cached: string | undefined;

export function hostVersion(): string {
  // From dist/server/version.js the manifest is two folders up.
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}

/** The package version, for `codemode --version`. */
import { readFileSync } from 'node:fs';

export function cliVersion(): string {
  // From dist/client/cli/version.js the manifest is three folders up.
  const manifest = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return manifest.version;
}

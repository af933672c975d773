/**
 * The files of this package the host names by path. They are built here, and only here, because
 * the host runs bundled into dist/server/main.js (scripts/bundle-host.mjs): inside the bundle every
 * module's import.meta.url is the bundle's, which is this module's folder and no other's. The
 * bundle build fails when another module builds a path from import.meta.url.
 */
import { fileURLToPath } from 'node:url';

/** The sandbox process's entry, which runs unbundled. */
export const SANDBOX_ENTRY = fileURLToPath(new URL('./sandbox/processMain.js', import.meta.url));
/** The package's root folder, which a sandbox process may read (its permission model allows no more). */
export const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The package manifest, for the host's version. */
export const PACKAGE_MANIFEST = new URL('../../package.json', import.meta.url);

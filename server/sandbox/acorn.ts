/**
 * acorn, loaded on first use. Only a cell whose source mentions `import`, or one of a persistent
 * realm, is parsed in the sandbox process, and a new sandbox process should take its first cell
 * without loading the parser first (about 20 ms of its start, which a respawn waits for).
 */
import type * as AcornModule from 'acorn';
import { createRequire } from 'node:module';

type Acorn = typeof AcornModule;

let loaded: Acorn | undefined;

export function acorn(): Acorn {
  return (loaded ??= createRequire(import.meta.url)('acorn') as Acorn);
}

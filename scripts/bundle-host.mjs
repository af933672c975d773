#!/usr/bin/env node
// Bundles the host (tsc's dist/server/entry.js and everything it imports, vscode-jsonrpc and the
// generated validators included) into one file, dist/server/main.js: the file every client,
// editor, transcript and test starts. One file spares each host start the resolution, reading
// and linking of some eighty modules, most of its own start-up (docs/benchmarks.md, host_start).
// Sandbox processes and the client still run tsc's files; isolated-vm is never bundled.
//
// Inside the bundle every module's import.meta.url is the bundle's, so a path built relative to a
// module's own folder would point elsewhere. Only server/packageFiles.ts, which sits in the
// bundle's own folder, may build one; the build fails when another bundled module does.
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const serverDir = join(repo, 'dist', 'server');
const PATH_OWNER = join(serverDir, 'packageFiles.js');
const RELATIVE_URL = /new URL\([^)]*import\.meta\.url/;

const result = await build({
  absWorkingDir: repo,
  entryPoints: [join(serverDir, 'entry.js')],
  outfile: join(serverDir, 'main.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['isolated-vm'],
  sourcemap: true,
  metafile: true,
  logLevel: 'warning',
});

const misplaced = Object.keys(result.metafile.inputs)
  .map((input) => join(repo, input))
  .filter((file) => file !== PATH_OWNER && RELATIVE_URL.test(readFileSync(file, 'utf8')));
if (misplaced.length > 0) {
  const names = misplaced.map((file) => relative(repo, file)).join(', ');
  process.stderr.write(`bundle-host: ${names}: a path built from import.meta.url points elsewhere inside the bundle; take it from server/packageFiles.ts instead\n`);
  process.exit(1);
}

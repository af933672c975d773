/** Runs the built `codemode` CLI as a child process, as a user would, and collects what it prints. */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, from dist/test/cli. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const MAIN = join(ROOT, 'dist/client/cli/main.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A running CLI: its process, and its result once it exits. */
export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  /** Resolves once stdout has contained `text`. */
  printed(text: string): Promise<void>;
  /** Resolves once stderr has contained `text`. */
  errPrinted(text: string): Promise<void>;
  result: Promise<CliResult>;
}

/** Starts the CLI with stdin open: write to `child.stdin`, and end it. */
export function startCli(args: readonly string[], options: { cwd?: string } = {}): CliRun {
  // History off, whatever the machine's HOME holds.
  const child = spawn(process.execPath, [MAIN, ...args], { cwd: options.cwd ?? ROOT, env: { ...process.env, CODEMODE_HISTORY: '' } });
  let stdout = '';
  let stderr = '';
  const watchers: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const watcher of watchers.filter((w) => stdout.includes(w.text))) watcher.resolve();
  });
  const errWatchers: { text: string; resolve: () => void }[] = [];
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const watcher of errWatchers.filter((w) => stderr.includes(w.text))) watcher.resolve();
  });
  const result = new Promise<CliResult>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    result,
    printed: (text) =>
      stdout.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => watchers.push({ text, resolve })),
    errPrinted: (text) =>
      stderr.includes(text) ? Promise.resolve() : new Promise<void>((resolve) => errWatchers.push({ text, resolve })),
  };
}

/** Runs the CLI to its end with `input` (default none) on stdin. */
export function runCli(args: readonly string[], options: { cwd?: string; input?: string } = {}): Promise<CliResult> {
  const cli = startCli(args, options);
  cli.child.stdin.end(options.input ?? '');
  return cli.result;
}

/** The lines of a stream's text; a final newline ends the last line rather than starting another. */
export function lines(text: string): string[] {
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** The pids of `pid`'s children. */
export function childPids(pid: number): number[] {
  let out: string;
  try {
    out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  } catch {
    // ps exits 1 when there is no child.
    return [];
  }
  return out.split('\n').filter((line) => line.trim() !== '').map(Number);
}

export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A temporary folder with `files` (name → content); `remove()` deletes it. */
export function scratchDir(files: Record<string, string>): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-cli-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

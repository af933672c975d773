/**
 * Shared by the editor tests: find the editor (skipped with install instructions when it is
 * missing, a failure under CI), run one of examples/editors against this package's host, and
 * check what it saw.
 */
import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultHostCommand } from '../../client/transcripts/hostChild.js';

export const EXAMPLES = fileURLToPath(new URL('../../../examples/editors/', import.meta.url));
const EDITORS_DOC = fileURLToPath(new URL('../../../docs/editors.md', import.meta.url));
/** A whole run takes about a second; this only bounds a hang. */
const RUN_TIMEOUT_MS = 30_000;

/**
 * Skips the test, visibly and with install instructions, when `program` is missing: a new user's
 * `make test` needs no editor. Under CI=true a missing editor is a failure instead, so CI cannot
 * pass without running the editor clients. CODEMODE_SKIP_EDITORS=1 skips them everywhere.
 */
export function requireEditor(context: Mocha.Context, program: string, install: string): void {
  if (process.env.CODEMODE_SKIP_EDITORS === '1') context.skip();
  const probe = spawnSync(program, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  if (probe.error === undefined && probe.status === 0) return;
  const advice = `${program} is not installed: install it with \`${install}\` to run this editor's test`;
  if (process.env.CI === 'true') throw new Error(`${advice} (CI=true requires every editor)`);
  process.stdout.write(`      skipped: ${advice}\n`);
  context.skip();
}

export interface EditorRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** What the script wrote to $CODEMODE_RESULT, parsed; undefined if it wrote nothing. */
  result: unknown;
}

/** Runs `program args` with CODEMODE_HOST (this package's host) and CODEMODE_RESULT set; kills it on timeout. */
export async function runEditor(program: string, args: string[]): Promise<EditorRun> {
  const dir = mkdtempSync(join(tmpdir(), 'codemode-editor-'));
  const resultFile = join(dir, 'result.json');
  try {
    const child = spawn(program, args, { env: { ...process.env, CODEMODE_HOST: JSON.stringify(defaultHostCommand()), CODEMODE_RESULT: resultFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    const code = await new Promise<number | null>((resolve) => child.once('close', (status) => resolve(status)));
    clearTimeout(timer);
    let result: unknown;
    try {
      result = JSON.parse(readFileSync(resultFile, 'utf8'));
    } catch {
      result = undefined;
    }
    return { code, stdout, stderr, result };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What every example reports: the tool answered, the cell completed, the cancel seen, a clean exit. */
export function expectFullConversation(seen: unknown, run: { stdout: string; stderr: string }): void {
  expect(seen, `the script's output:\n${run.stdout}\n${run.stderr}`).to.deep.equal({
    protocolVersion: 1,
    toolInput: { a: 2, b: 3 },
    execute: { status: 'completed', text: '35' },
    cancelled: { code: -32800, cellId: '2' },
    closed: ['1', '2'],
    exitCode: 0,
  });
}

/** docs/editors.md shows the example file verbatim, so the documented snippet is the tested one. */
export function expectDocumented(file: string): void {
  const doc = readFileSync(EDITORS_DOC, 'utf8');
  const text = readFileSync(join(EXAMPLES, file), 'utf8').trimEnd();
  expect(doc.includes(text), `docs/editors.md must contain examples/editors/${file} verbatim`).to.equal(true);
}

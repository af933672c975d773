/** Records one scenario against this package's host, generalized, into `<dir>/<name>.jsonl`. */
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { defaultHostCommand } from '../../../client/transcripts/hostChild.js';
import { record } from '../../../client/transcripts/record.js';
import type { Scenario } from './scenario.js';
import { ScriptedClient } from './scriptedClient.js';

export async function recordScenario(scenario: Scenario, dir: string): Promise<string> {
  const out = join(dir, `${scenario.name}.jsonl`);
  const toHost = new PassThrough();
  const fromHost = new PassThrough();
  const stderr = new PassThrough();
  let log = '';
  stderr.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const recording = record(
    { stdin: toHost, stdout: fromHost, stderr },
    { command: defaultHostCommand(), hostArgs: scenario.hostArgs, out, generalize: true, comments: scenario.description },
  );
  const client = new ScriptedClient(toHost, fromHost);
  try {
    await scenario.run(client);
  } catch (error) {
    throw new Error(`scenario ${scenario.name} failed while recording: ${(error as Error).message}\nhost stderr:\n${log}`, { cause: error });
  } finally {
    // EOF ends every host (docs/protocol.md, Lifecycle), so the recording always completes.
    toHost.end();
    await recording;
  }
  return out;
}

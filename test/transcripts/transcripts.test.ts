/**
 * The transcript suite: one test per `test/transcripts/*.jsonl`, each replayed against a fresh
 * host. Transcripts of record/scenarios are (re)recorded with UPDATE_TRANSCRIPTS=1, or when
 * missing outside CI; under CI=true a missing transcript fails, since CI must never record.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { replayTranscript } from '../../client/transcripts/replay.js';
import { recordScenario } from './record/recordScenario.js';
import { scenarios } from './record/scenarios/index.js';

/** The source folder (the compiled test runs from dist/). */
const DIR = fileURLToPath(new URL('../../../test/transcripts/', import.meta.url));
const update = process.env.UPDATE_TRANSCRIPTS === '1';
const ci = process.env.CI === 'true';

async function replay(file: string): Promise<void> {
  const result = await replayTranscript(file);
  if (!result.ok) throw new Error(`replay failed:\n${result.report}`);
}

describe('transcripts (replayed against the host)', function () {
  this.timeout(60_000);
  const recorded = new Set(scenarios.map((scenario) => `${scenario.name}.jsonl`));

  for (const scenario of scenarios) {
    it(`${scenario.name}.jsonl`, async () => {
      const file = join(DIR, `${scenario.name}.jsonl`);
      if (!update && !existsSync(file) && ci) {
        throw new Error(`${file} is missing: record it with UPDATE_TRANSCRIPTS=1 and commit it (CI never records)`);
      }
      if (update || !existsSync(file)) await recordScenario(scenario, DIR);
      await replay(file);
    });
  }

  // Hand-written transcripts (not produced by a scenario) are replayed as they are.
  for (const name of readdirSync(DIR).filter((entry) => entry.endsWith('.jsonl') && !recorded.has(entry)).sort()) {
    it(name, () => replay(join(DIR, name)));
  }
});

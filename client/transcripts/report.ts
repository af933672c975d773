/** Readable explanations of replay failures: what was expected, what came, and where they differ. */
import { describeGroup } from './groups.js';
import type { Json } from './json.js';
import { formatPath } from './match.js';
import type { Outcome } from './expectations.js';
import type { HostLine, Transcript } from './transcript.js';

/** Long messages are cut so one failure stays readable. */
const MAX_SHOWN = 1500;

export function describeOutcome(transcript: Transcript, message: Json, outcome: Exclude<Outcome, { kind: 'matched' }>): string {
  const actual = `  actual:   ${shorten(JSON.stringify(message))}`;
  switch (outcome.kind) {
    case 'unexpected':
      return [`unexpected host message: no further message of ${describeGroup(outcome.group)} is expected`, actual].join('\n');
    case 'early':
      return [
        `${where(transcript, outcome.line)}: a message of ${describeGroup(outcome.group)} arrived while this line, of ${describeGroup(outcome.lineGroup)}, is still expected first`,
        expected(outcome.line),
        actual,
      ].join('\n');
    case 'mismatch': {
      const { path, expected: wanted, actual: got } = outcome.mismatch;
      return [
        `${where(transcript, outcome.line)}: the host message of ${describeGroup(outcome.group)} does not match`,
        `  first difference at ${formatPath(path)}: expected ${wanted}, got ${got}`,
        expected(outcome.line),
        actual,
      ].join('\n');
    }
  }
}

export function where(transcript: Transcript, line: { line: number }): string {
  return `${transcript.source}:${line.line}`;
}

export function expected(line: HostLine): string {
  return `  expected: ${shorten(JSON.stringify(line.raw))}`;
}

export function shorten(text: string): string {
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}… (${text.length} characters)` : text;
}

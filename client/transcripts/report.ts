/** Readable explanations of replay failures: what was expected, what came, and where they differ. */
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
      return [`unexpected host message (${outcome.group.label}): the transcript expects nothing more there`, actual].join('\n');
    case 'early':
      return [
        `${where(transcript, outcome.line)}: a host message (${outcome.group.label}) arrived out of order: this line (${outcome.lineGroup.label}) must come first`,
        expected(outcome.line),
        actual,
      ].join('\n');
    case 'mismatch': {
      const { path, expected: wanted, actual: got } = outcome.mismatch;
      return [
        `${where(transcript, outcome.line)}: the host message (${outcome.group.label}) does not match`,
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

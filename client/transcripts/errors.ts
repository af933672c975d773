/** The two ways a transcript can fail: it is malformed, or the host did not follow it. */

/** The transcript text itself is wrong (bad JSON, unknown line kind, bad matcher, ...). */
export class TranscriptSyntaxError extends Error {
  override readonly name = 'TranscriptSyntaxError';
  constructor(
    readonly source: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${source}:${line}: ${detail}`);
  }
}

/** A usage error of the record/replay command line. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

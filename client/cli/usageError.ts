/**
 * A mistake on the command line (unknown option, missing file, a tools module that does not
 * load): nothing was run. The dispatcher prints it as one line naming the command, exit status 2.
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** The first line of an error's message, for one-line reports. */
export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? '';
}

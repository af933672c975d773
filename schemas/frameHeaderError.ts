/**
 * The one fatal transport error: a frame header the reader cannot parse. After it the byte stream
 * cannot be resynchronised (the body length is unknown), so the owner must tear down and exit 2.
 */
export type FrameHeaderProblem =
  | 'missingContentLength'
  | 'invalidContentLength'
  | 'duplicateContentLength'
  | 'unsupportedCharset'
  | 'malformedHeaderLine'
  | 'headerTooLarge';

export class FrameHeaderError extends Error {
  override readonly name = 'FrameHeaderError';

  constructor(
    readonly problem: FrameHeaderProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What a cell's `tools.<server>__<tool>(input)` resolves with, from an MCP CallToolResult:
 * `structuredContent` when present; else the content: all text, joined with newlines (parsed as
 * JSON only when the tool's outputSchema promises structure); any image or other block, the
 * blocks as MCP gives them, which `image(block)` in a cell accepts as they are.
 * A result with `isError` rejects the call with its text.
 */

/** The type a cell sees for a tool without outputSchema (for toolDeclarations' untypedResult). */
export const UNTYPED_RESULT =
  'string | Array<{ type: "text"; text: string } | { type: "image"; data: string; mimeType: string } | { type: string; [key: string]: unknown }>';

export interface CallToolResultLike {
  content?: unknown;
  structuredContent?: unknown;
  isError?: unknown;
}

/** Thrown for a result with `isError`: the cell's promise rejects with this message. */
export class McpToolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'McpToolError';
  }
}

export function toolResultValue(result: CallToolResultLike, outputSchema: object | undefined): unknown {
  const blocks = Array.isArray(result.content) ? (result.content as unknown[]) : [];
  if (result.isError === true) throw new McpToolError(textOf(blocks) || 'the tool reported an error without text');
  if (result.structuredContent !== undefined && result.structuredContent !== null) return result.structuredContent;
  if (!blocks.every(isTextBlock)) return blocks;
  const text = blocks.map((block) => block.text).join('\n');
  if (outputSchema === undefined) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function textOf(blocks: readonly unknown[]): string {
  return blocks
    .filter(isTextBlock)
    .map((block) => block.text)
    .join('\n');
}

function isTextBlock(block: unknown): block is { type: 'text'; text: string } {
  return typeof block === 'object' && block !== null && (block as { type?: unknown }).type === 'text' && typeof (block as { text?: unknown }).text === 'string';
}

/** Declarations of the globals every cell has besides `tools` (README.md, "What a cell can do"). */
export const CELL_GLOBALS = `/** Prints a value as text output: strings as they are, other values as JSON. */
declare function text(value: unknown): void;
/** An image detail level for the model that reads the output. */
type ImageDetail = "auto" | "low" | "high" | "original";
/**
 * Adds an image to the output: a base64 \`data:\` URL, \`{ imageUrl, detail? }\`, or an MCP image block
 * \`{ type: "image", data, mimeType }\` as MCP tools return them. Remote URLs are refused.
 */
declare function image(value: string | { imageUrl: string; detail?: ImageDetail } | { image_url: string; detail?: ImageDetail } | { type: "image"; data: string; mimeType?: string }, detail?: ImageDetail): void;
/** Keeps a JSON value under \`key\` for the later cells of this session. */
declare function store(key: string, value: unknown): void;
/** The value stored under \`key\` by an earlier cell of this session, or undefined. */
declare function load(key: string): any;
/** Sends text to the client at once, while the cell goes on. */
declare function notify(value: unknown): void;
/** Returns the output so far to the caller now; the cell goes on in the background (observe it again with wait). */
declare function yield_control(): void;
/** Ends the cell successfully now. */
declare function exit(): never;
/** Runs \`callback\` after \`delayMs\`; a pending timer does not keep the cell alive. */
declare function setTimeout(callback: () => void, delayMs?: number): number;
declare function clearTimeout(id: number | undefined | null): void;
/** Every console method prints its arguments as one text line. */
declare const console: {
  log(...values: unknown[]): void;
  info(...values: unknown[]): void;
  debug(...values: unknown[]): void;
  warn(...values: unknown[]): void;
  error(...values: unknown[]): void;
};
/** The enabled tools: \`name\` is the member of \`tools\` to call. */
declare const ALL_TOOLS: ReadonlyArray<{ readonly name: string; readonly description: string }>;
`;

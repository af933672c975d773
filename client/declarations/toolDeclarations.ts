/**
 * TypeScript declarations of what a cell sees (`tools` from ToolDefinitions, and the other
 * globals), to put in a model's prompt. The same tools always give the same text: tools are
 * sorted by the name the cell calls them by, properties keep their schema order.
 */
import type { ToolDefinition } from '../../schemas/index.js';
import { CELL_GLOBALS } from './cellGlobals.js';
import { jsDoc, jsToolName } from './names.js';
import { type Detail, NameRegistry, SchemaPrinter } from './schemaType.js';

export interface ToolDeclarationOptions {
  /**
   * `full`: every field with its JSDoc. `compact`: each tool on one line, its first sentence and
   * the top level of its input and result. `names`: each tool's name and first sentence only.
   * With `compact` and `names` the cell reads a tool's full declaration from `ALL_TOOLS` (when the
   * definitions came through `withDeclarations`). `auto` (default): the first of `full`,
   * `compact` and `names` no longer than `maxChars`.
   */
  detail?: Detail | 'auto';
  /** The length above which `auto` turns compact (default 24000 characters, about 6000 tokens). */
  maxChars?: number;
  /** Also declare `text`, `image`, `store`, `load` and the other cell globals (default true). */
  globals?: boolean;
  /** The result type of a tool without an `outputSchema`, or a function giving it per tool (default `unknown`). */
  untypedResult?: string | ((tool: ToolDefinition) => string);
}

const DEFAULT_MAX_CHARS = 24_000;

/** The declarations of `tools` (and by default the other cell globals), as TypeScript source. */
export function toolDeclarations(tools: readonly ToolDefinition[], options: ToolDeclarationOptions = {}): string {
  const detail = options.detail ?? 'auto';
  const globals = options.globals ?? true ? CELL_GLOBALS : '';
  if (detail !== 'auto') return globals + toolsDeclaration(tools, detail, options);
  const maxChars = options.maxChars ?? DEFAULT_MAX_CHARS;
  for (const level of ['full', 'compact'] as const) {
    const text = globals + toolsDeclaration(tools, level, options);
    if (text.length <= maxChars) return text;
  }
  return globals + toolsDeclaration(tools, 'names', options);
}

/** One tool's full declaration, as a member of `tools` with the named types it uses. */
export function toolDeclaration(tool: ToolDefinition, options: Pick<ToolDeclarationOptions, 'untypedResult'> = {}): string {
  return toolsDeclaration([tool], 'full', options);
}

/**
 * The same definitions, each description followed by the tool's full declaration, so a cell given
 * compact declarations can read the details of one tool:
 * `text(ALL_TOOLS.find((t) => t.name === "fs__read_file").description)`.
 */
export function withDeclarations(tools: readonly ToolDefinition[], options: Pick<ToolDeclarationOptions, 'untypedResult'> = {}): ToolDefinition[] {
  return tools.map((tool) => {
    const declaration = toolDeclaration(tool, options);
    return { ...tool, description: tool.description === undefined ? declaration : `${tool.description}\n\n${declaration}` };
  });
}

function toolsDeclaration(tools: readonly ToolDefinition[], detail: Detail, options: ToolDeclarationOptions): string {
  const names = new NameRegistry();
  // Global names the aliases must not shadow.
  for (const taken of ['ImageDetail', 'tools']) names.claim(taken);
  const sorted = [...tools].map((tool) => ({ tool, jsName: jsToolName(tool) })).sort((a, b) => (a.jsName < b.jsName ? -1 : a.jsName > b.jsName ? 1 : 0));
  let aliases = '';
  let members = '';
  for (const { tool, jsName } of sorted) {
    const input = new SchemaPrinter(tool.inputSchema ?? true, `${jsName}_input`, names, detail);
    const output = new SchemaPrinter(tool.outputSchema ?? true, `${jsName}_output`, names, detail);
    const bare = detail === 'names';
    const inputType = tool.kind === 'freeform' ? 'string' : tool.inputSchema === undefined ? 'unknown' : bare ? 'any' : input.rootType('  ');
    const untyped = typeof options.untypedResult === 'function' ? options.untypedResult(tool) : (options.untypedResult ?? 'unknown');
    const resultType = tool.outputSchema === undefined ? untyped : bare ? 'any' : output.rootType('  ');
    const optional = tool.kind !== 'freeform' && (bare || !requiresInput(tool.inputSchema));
    members += jsDoc(docLines(tool, detail), '  ');
    members += `  ${jsName}(input${optional ? '?' : ''}: ${inputType}): Promise<${resultType}>;\n`;
    aliases += input.aliases() + output.aliases();
  }
  const header =
    detail === 'full'
      ? ''
      : `// ${sorted.length} tools in short. A tool's full declaration, every field documented:\n//   text(ALL_TOOLS.find((t) => t.name === "<tool>").description)\n`;
  return `${header}${aliases}/** The tools this cell may call; each returns a promise of its result and rejects with the tool's error. */\ndeclare const tools: {\n${members}};\n`;
}

function docLines(tool: ToolDefinition, detail: Detail): string[] {
  const description = tool.description?.trim() ?? '';
  if (description === '') return [];
  return detail === 'full' ? [description] : [firstSentence(description)];
}

function firstSentence(text: string): string {
  const line = text.split('\n', 1)[0]!.trim();
  const end = line.search(/[.!?](\s|$)/);
  return end === -1 ? line : line.slice(0, end + 1);
}

/** Whether the schema needs an input at all: an object schema with required properties does. */
function requiresInput(schema: ToolDefinition['inputSchema']): boolean {
  if (schema === undefined) return false;
  if (typeof schema.$ref === 'string') return true;
  const required = schema.required;
  if (Array.isArray(required) && required.length > 0) return true;
  return schema.type !== undefined && schema.type !== 'object' && !(Array.isArray(schema.type) && schema.type.includes('object'));
}

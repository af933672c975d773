/**
 * The name a cell calls a tool by, `tools.<jsName>`: the qualified name (`namespace__name`, or
 * `name`) with every character not valid in an identifier replaced by `_`, a leading digit too
 * (docs/protocol.md, ToolDefinition). The host enables tools by it and the client declares them
 * by it, so both take it from here.
 */
export function jsToolName(tool: { name: string; namespace?: string | null }): string {
  const qualified = tool.namespace === undefined || tool.namespace === null ? tool.name : `${tool.namespace}__${tool.name}`;
  const body = qualified.replace(/[^A-Za-z0-9_$]/g, '_');
  return /^[0-9]/.test(body) ? `_${body.slice(1)}` : body;
}

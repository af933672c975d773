/** The tools one execute enables, keyed by the name JavaScript sees (`jsToolName`). */
import { jsToolName, type ToolDefinition } from '../../schemas/index.js';
import { hostError } from '../errors.js';

export interface EnabledTool {
  jsName: string;
  definition: ToolDefinition;
}

/** Throws InvalidParams when two tools share a JavaScript name. */
export function buildToolSet(tools: readonly ToolDefinition[] = []): Map<string, EnabledTool> {
  const byJsName = new Map<string, EnabledTool>();
  for (const definition of tools) {
    const jsName = jsToolName(definition);
    const clash = byJsName.get(jsName);
    if (clash !== undefined) throw hostError.duplicateToolName(jsName, qualifiedName(clash.definition), qualifiedName(definition));
    byJsName.set(jsName, { jsName, definition });
  }
  return byJsName;
}

function qualifiedName(tool: ToolDefinition): string {
  return tool.namespace === undefined ? tool.name : `${tool.namespace}__${tool.name}`;
}

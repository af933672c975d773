// The bench-only package's entry: the slice of TanStack AI the peers' TanStack system uses, resolved
// from this folder's own node_modules (bench/peers/tanstackPackage.ts declares its types).
export { toolDefinition } from '@tanstack/ai';
export { createCodeModeTool } from '@tanstack/ai-code-mode';
export { createNodeIsolateDriver } from '@tanstack/ai-isolate-node';

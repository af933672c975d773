/**
 * The client every host figure goes through: the package's own CodeModeClient, with a delegate
 * that answers instantly, so a figure is the host and the client, not the tool.
 *   echo(input) → input
 *   blob({bytes}) → a string of that many bytes, built once per size, so building it is not timed
 */
import { CodeModeClient, type HostLimitOptions, type ToolCall } from '../client/index.js';

export const TOOLS = [{ name: 'echo' }, { name: 'blob' }];

const blobs = new Map<number, string>();

export function blobOf(bytes: number): string {
  let blob = blobs.get(bytes);
  if (blob === undefined) blobs.set(bytes, (blob = 'x'.repeat(bytes)));
  return blob;
}

export interface BenchClientOptions {
  hostLimits?: HostLimitOptions;
  /** Called at every tool call's arrival, before it is answered. */
  onToolCall?: (call: ToolCall) => void;
  /** Let the bench kill the host as often as it likes. */
  unlimitedRestarts?: boolean;
}

export function benchClient(options: BenchClientOptions = {}): CodeModeClient {
  return new CodeModeClient({
    delegate: {
      invokeTool(call) {
        options.onToolCall?.(call);
        if (call.tool.name === 'blob') return blobOf((call.input as { bytes: number }).bytes);
        return call.input;
      },
    },
    hostLimits: options.hostLimits,
    restart: options.unlimitedRestarts ? { maxRestarts: 1_000_000, windowMs: 1 } : undefined,
    // The default keeps only a bounded tail for error messages; a warning here would be a bench bug.
    onStderr: (line) => {
      if (/^codemode-host (error|warn):/.test(line)) process.stderr.write(`host: ${line}\n`);
    },
  });
}

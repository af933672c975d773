/** A scenario drives the host once through the recorder; its transcript is `<name>.jsonl`. */
import type { ScriptedClient } from './scriptedClient.js';

export interface Scenario {
  name: string;
  /** What the transcript shows, written as its first comment lines. */
  description: string[];
  /** Host command-line arguments (recorded in the transcript's `host` line). */
  hostArgs?: string[];
  /** Runs the client side. Stdin is closed afterwards unless the scenario did. */
  run(client: ScriptedClient): Promise<void>;
}

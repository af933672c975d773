/** Shared helpers for the sandbox tests: a program builder and CellEvents that record everything. */
import type { CellEvents, CellExit, CellProgram, Sandbox, ToolOutcome } from '../../server/sandbox/api.js';
import type { ContentItem } from '../../schemas/index.js';

export interface Recording {
  items: ContentItem[];
  /** Every output call's batch, to check batching. */
  batches: ContentItem[][];
  droppedBytes: number;
  /** Events in order: `output`, `yield`, `tool:<name>:<input>`, `notify:<text>`, `store:<key>`. */
  log: string[];
  store: Map<string, string>;
}

export type ToolHandler = (jsName: string, inputJson: string | undefined) => Promise<ToolOutcome>;

const echoTool: ToolHandler = async (jsName, inputJson) => ({
  ok: true,
  result: { tool: jsName, input: inputJson === undefined ? null : JSON.parse(inputJson) },
});

/** Events whose every tool call is held until `open()`: cells stay running until the test lets them go. */
export function heldEvents(): { events: CellEvents; open: () => void } {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const { events } = recordingEvents(async () => {
    await gate;
    return { ok: true, result: null };
  });
  return { events, open };
}

export function recordingEvents(tool: ToolHandler = echoTool): { events: CellEvents; rec: Recording } {
  const rec: Recording = { items: [], batches: [], droppedBytes: 0, log: [], store: new Map() };
  const events: CellEvents = {
    output(items, droppedBytes) {
      rec.items.push(...items);
      rec.batches.push(items);
      rec.droppedBytes += droppedBytes;
      rec.log.push('output');
    },
    yieldControl() {
      rec.log.push('yield');
    },
    toolCall(jsName, inputJson, answer) {
      rec.log.push(`tool:${jsName}:${inputJson}`);
      void tool(jsName, inputJson).then(answer);
    },
    notify(text) {
      rec.log.push(`notify:${text}`);
    },
    store(key, json) {
      if (key === 'forbidden') return 'store refused';
      rec.store.set(key, json);
      rec.log.push(`store:${key}`);
      return null;
    },
    load(key) {
      return rec.store.get(key);
    },
  };
  return { events, rec };
}

export type ProgramOptions = Partial<Omit<CellProgram, 'source' | 'limits'>> & { limits?: Partial<CellProgram['limits']> };

export function program(source: string, options: ProgramOptions = {}): CellProgram {
  return {
    sessionId: options.sessionId ?? 's',
    source,
    language: options.language ?? 'javascript',
    filename: options.filename ?? 'cell-1.js',
    tools: options.tools ?? [{ jsName: 'echo', description: 'echoes its input' }],
    limits: {
      heapLimitMb: 128,
      cpuTimeLimitMs: 10_000,
      wallTimeLimitMs: null,
      maxOutputBytes: 16 * 1024 * 1024,
      maxPendingToolCalls: 1_000_000,
      ...options.limits,
    },
  };
}

/** Runs a cell to its end. */
export async function runCell(
  sandbox: Sandbox,
  source: string,
  options: ProgramOptions & { tool?: ToolHandler; seed?: Record<string, string> } = {},
): Promise<{ exit: CellExit; rec: Recording }> {
  const { events, rec } = recordingEvents(options.tool);
  for (const [key, json] of Object.entries(options.seed ?? {})) rec.store.set(key, json);
  const run = await sandbox.start(program(source, options), events);
  return { exit: await run.done, rec };
}

/** The texts of the text items. */
export const texts = (rec: Recording): string[] =>
  rec.items.flatMap((item) => (item.type === 'text' ? [item.text] : []));

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A sandbox process: the entry the supervisor forks. It runs cells in the engine (sandbox.ts)
 * and turns every CellEvents call into messages (messages.ts) to the host, which holds the
 * sessions, stores and the connection. It exits when the host disconnects; a catastrophic V8
 * error kills it (prepared.ts) after one FATAL_PREFIX line on stderr.
 */
// First: a native build that does not load ends the process with one clear line (engineLoad.ts).
import './engineLoad.js';
import { createStderrLogger, isLogLevel } from '../log.js';
import type { CellEvents, CellRun, Realm, ToolOutcome } from './api.js';
import { BulkReader } from './bulkChannel.js';
import { messageOf } from './errors.js';
import {
  meteredBytes,
  Outbox,
  OUTPUT_WINDOW_BYTES,
  type CallId,
  type CallKind,
  type Calls,
  type CallResult,
  type FromSandbox,
  type RealmId,
  type RunId,
  type ToolAnswers,
  type ToolCalls,
  type ToSandbox,
} from './messages.js';
import { createSandbox } from './sandbox.js';

interface RunState {
  run: CellRun | null;
  terminateRequested: boolean;
  /** Output bytes the host will still take before it sends credit. */
  credit: number;
  /** Output waiting for credit to resume the cell, and tool calls waiting for credit to be sent. */
  creditWaiters: Array<() => void>;
  held: FromSandbox[];
  calls: Map<CallId, (value: CallResult) => void>;
  tools: Map<CallId, (outcome: ToolOutcome) => void>;
}

const send = process.send?.bind(process);
if (send === undefined) throw new Error('the sandbox process must be started by the host (no IPC channel)');

const level = process.argv[2] ?? 'info';
const logger = createStderrLogger(isLogLevel(level) ? level : 'info');
const engine = createSandbox({ logger });
const runs = new Map<RunId, RunState>();
/** Persistent sessions' realms: each keeps one isolate and context across that session's cells. */
const realms = new Map<RealmId, Realm>();
const outbox = new Outbox<FromSandbox>((batch) => void send(batch));
let nextCall = 1;

/** Posts a message that costs credit, or holds it until the host has credited enough. */
function postMetered(state: RunState, message: FromSandbox): void {
  if (state.credit <= 0 || state.held.length > 0) {
    state.held.push(message);
    return;
  }
  state.credit -= meteredBytes(message);
  outbox.post(message);
}

function call<K extends CallKind>(run: RunId, state: RunState, kind: K, args: Calls[K]['args']): Promise<Calls[K]['result']> {
  const id = nextCall++;
  return new Promise((resolve) => {
    state.calls.set(id, resolve as (value: CallResult) => void);
    postMetered(state, { t: 'call', run, call: id, kind, args } as FromSandbox);
  });
}

/** Queues the call as postMetered queues a message, in this run's last tool calls message when it can. */
function toolCall(run: RunId, state: RunState, jsName: string, inputJson: string | undefined, answer: (outcome: ToolOutcome) => void): void {
  const id = nextCall++;
  state.tools.set(id, answer);
  const held = state.credit <= 0 || state.held.length > 0;
  if (!held) state.credit -= inputJson?.length ?? 0;
  const message = toolCallsMessage(run, state, held);
  message.calls.push(id);
  message.jsNames.push(jsName);
  message.inputs.push(inputJson);
}

/**
 * The message a new tool call joins: the last one posted this turn (or held) when that is this
 * run's tool calls, else a new one. Joining it is the same as posting the call right after it.
 */
function toolCallsMessage(run: RunId, state: RunState, held: boolean): ToolCalls {
  const last = held ? state.held[state.held.length - 1] : outbox.last();
  if (last?.t === 'toolCalls' && last.run === run) return last;
  const message: ToolCalls = { t: 'toolCalls', run, calls: [], jsNames: [], inputs: [] };
  if (held) state.held.push(message);
  else outbox.post(message);
  return message;
}

function eventsOf(run: RunId, state: RunState): CellEvents {
  return {
    output(items, droppedBytes, bytes) {
      postMetered(state, { t: 'output', run, items, droppedBytes, bytes });
      if (state.credit > 0) return;
      return new Promise<void>((resolve) => state.creditWaiters.push(resolve));
    },
    yieldControl: () => outbox.post({ t: 'yield', run }),
    toolCall: (jsName, inputJson, answer) => toolCall(run, state, jsName, inputJson, answer),
    notify: async (text) => void (await call(run, state, 'notify', { text })),
    store: (key, json) => call(run, state, 'store', { key, json }),
    load: (key) => call(run, state, 'load', { key }),
  };
}

async function start(id: RunId, message: Extract<ToSandbox, { t: 'start' }>): Promise<void> {
  const state: RunState = { run: null, terminateRequested: false, credit: OUTPUT_WINDOW_BYTES, creditWaiters: [], held: [], calls: new Map(), tools: new Map() };
  runs.set(id, state);
  let run: CellRun;
  try {
    const starter = message.realm === null ? engine : realms.get(message.realm);
    if (starter === undefined) throw new Error(`realm ${message.realm} is not open in this sandbox process`);
    run = await starter.start(message.program, eventsOf(id, state));
  } catch (error) {
    logger.error(`cell run ${id} failed to start: ${error instanceof Error ? error.stack : String(error)}`);
    runs.delete(id);
    outbox.post({ t: 'done', run: id, exit: { kind: 'completed', error: `cell failed to start: ${messageOf(error)}` } });
    return;
  }
  state.run = run;
  outbox.post({ t: 'started', run: id });
  if (state.terminateRequested) run.terminate();
  const exit = await run.done;
  runs.delete(id);
  outbox.post({ t: 'done', run: id, exit });
}

function handle(message: ToSandbox): void {
  switch (message.t) {
    case 'start':
      void start(message.run, message);
      return;
    case 'openRealm':
      realms.set(message.realm, engine.openRealm(message.heapLimitMb));
      return;
    case 'disposeRealm':
      realms.get(message.realm)?.dispose();
      realms.delete(message.realm);
      return;
  }
  const state = runs.get(message.run);
  switch (message.t) {
    case 'terminate':
      if (state === undefined) return;
      if (state.run === null) state.terminateRequested = true;
      else state.run.terminate();
      return;
    case 'reply': {
      const resolve = state?.calls.get(message.call);
      state?.calls.delete(message.call);
      resolve?.(message.value);
      return;
    }
    case 'toolAnswers':
      if (state !== undefined) answerTools(state, message);
      return;
    case 'credit':
      if (state === undefined) return;
      state.credit += message.bytes;
      while (state.credit > 0 && state.held.length > 0) {
        const held = state.held.shift()!;
        state.credit -= meteredBytes(held);
        outbox.post(held);
      }
      if (state.credit > 0) for (const resume of state.creditWaiters.splice(0)) resume();
      return;
  }
}

function answerTools(state: RunState, { calls, results, failed }: ToolAnswers): void {
  let nextFailed = 0;
  for (let i = 0; i < calls.length; i++) {
    const isFailure = failed[nextFailed] === i;
    if (isFailure) nextFailed++;
    settleTool(state, calls[i]!, isFailure ? { ok: false, message: results[i] as string } : { ok: true, result: results[i] });
  }
}

function settleTool(state: RunState, call: CallId, outcome: ToolOutcome): void {
  const resolve = state.tools.get(call);
  state.tools.delete(call);
  resolve?.(outcome);
}

process.on('message', (batch: ToSandbox[]) => {
  for (const message of batch) handle(message);
});
process.on('disconnect', () => process.exit(0));
const bulk = new BulkReader(({ run, call }, text) => {
  const state = runs.get(run);
  if (state !== undefined) settleTool(state, call, { ok: true, result: text });
});
// The bulk pipe is stdin: the permission model lets a process read its stdio, while opening any
// other pipe as a socket needs --allow-net on Node 26.
process.stdin.on('data', (chunk: Buffer) => bulk.push(chunk));
process.stdin.on('end', () => bulk.dispose());
outbox.post({ t: 'ready' });

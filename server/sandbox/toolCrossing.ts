/**
 * The sandbox process's half of one cell's tool calls, batched both ways across the isolate
 * boundary: the calls the cell made in one synchronous stretch arrive as one batch
 * (HostBridge.toolCalls), and the answers that settle together (the replies of one IPC batch from
 * the host) enter the isolate in one `answer` call, instead of one thread crossing per call and
 * per answer.
 */
import type { Logger } from '../log.js';
import type { CellEvents, ToolOutcome } from './api.js';
import type { AnswerKind, ToolCallBatch } from './bridge.js';
import { messageOf } from './errors.js';
import type { PreparedIsolate } from './prepared.js';

/**
 * A string result at least this long crosses as an argument of its own: isolated-vm then copies
 * it once into an external string, instead of serializing and deserializing it with the batch.
 * Below it (where isolated-vm makes an ordinary heap string anyway) the batch is cheaper.
 */
const OWN_ARGUMENT_CHARS = 1024;
/** Bounds the arguments of one `answer` call; further long strings travel in the batch. */
const MAX_STRING_ARGUMENTS = 64;

type Delivery =
  | { kind: 'idle' }
  /** Answers waiting for the end of the current microtask checkpoint. */
  | { kind: 'queued'; ids: number[]; kinds: string; values: unknown[]; strings: string[] }
  /** The cell ended: answers still arriving are dropped. */
  | { kind: 'closed' };

export class ToolCrossing {
  private delivery: Delivery = { kind: 'idle' };

  constructor(
    private readonly prepared: Pick<PreparedIsolate, 'answer'>,
    private readonly events: CellEvents,
    /** The isolate sent a malformed batch. */
    private readonly failed: (error: unknown) => void,
    private readonly logger: Logger,
  ) {}

  /** A batch of calls from the isolate; anything else than a ToolCallBatch ends the cell. */
  receive(batch: unknown): void {
    if (this.delivery.kind === 'closed') return;
    if (!isCallBatch(batch)) {
      this.failed(new Error('the isolate sent a malformed tool call batch'));
      return;
    }
    const [ids, jsNames, inputs] = batch;
    for (let i = 0; i < ids.length; i++) this.dispatch(ids[i]!, jsNames[i]!, inputs[i]);
  }

  close(): void {
    this.delivery = { kind: 'closed' };
  }

  private dispatch(id: number, jsName: string, inputJson: string | undefined): void {
    // The answers settled in one turn all join the delivery the first of them schedules.
    try {
      this.events.toolCall(jsName, inputJson, (outcome) => this.settle(id, outcome));
    } catch (error) {
      this.logger.error(`toolCall ${jsName} threw: ${messageOf(error)}`);
      this.settle(id, { ok: false, message: messageOf(error) });
    }
  }

  private settle(id: number, outcome: ToolOutcome): void {
    if (this.delivery.kind === 'closed') return;
    if (this.delivery.kind === 'idle') {
      this.delivery = { kind: 'queued', ids: [], kinds: '', values: [], strings: [] };
      queueMicrotask(this.deliver);
    }
    const delivery = this.delivery;
    let kind: AnswerKind;
    delivery.ids.push(id);
    if (!outcome.ok) {
      kind = 'e';
      delivery.values.push(outcome.message);
    } else if (typeof outcome.result === 'string' && outcome.result.length >= OWN_ARGUMENT_CHARS && delivery.strings.length < MAX_STRING_ARGUMENTS) {
      kind = 't';
      delivery.values.push(delivery.strings.push(outcome.result) - 1);
    } else {
      kind = 'v';
      delivery.values.push(outcome.result);
    }
    delivery.kinds += kind;
  }

  private readonly deliver = (): void => {
    if (this.delivery.kind !== 'queued') return;
    const { ids, kinds, values, strings } = this.delivery;
    this.delivery = { kind: 'idle' };
    // Copies: nothing of the sandbox process's heap enters the isolate. Ignored: a completion
    // would wake this thread once more per delivery, and what it could report is reported anyway.
    // An isolate that dies in the cell's continuation rejects the cell's start(); a rejection the
    // cell leaves unhandled is not its end, since a handler may come in a later task
    // (`const b = tools.x(); await tools.y(); await b`).
    this.prepared.answer.applyIgnored(undefined, [[ids, kinds, values], ...strings], { arguments: { copy: true } });
  };
}

function isCallBatch(batch: unknown): batch is ToolCallBatch {
  if (!Array.isArray(batch) || batch.length !== 3) return false;
  const [ids, jsNames, inputs] = batch;
  if (!Array.isArray(ids) || !Array.isArray(jsNames) || !Array.isArray(inputs)) return false;
  if (jsNames.length !== ids.length || inputs.length !== ids.length) return false;
  for (let i = 0; i < ids.length; i++) {
    const input: unknown = inputs[i];
    if (!Number.isSafeInteger(ids[i]) || typeof jsNames[i] !== 'string' || (typeof input !== 'string' && input !== undefined)) return false;
  }
  return true;
}

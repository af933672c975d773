/**
 * The delegate calls of one cell: its tool calls (`tool-1`, `tool-2`, ... in call order) and its
 * notifications. Tool calls are bounded by maxPendingToolCalls; everything still unanswered is
 * cancelled when the cell ends.
 */
import type { DelegateInvokeToolParams, DelegateNotifyParams } from '../../schemas/index.js';
import { Methods } from '../../schemas/index.js';
import type { DelegateCall, DelegateChannel } from '../delegate/delegateChannel.js';
import type { Logger } from '../log.js';
import type { MemoryBudget } from '../sessions/memoryBudget.js';
import type { ToolOutcome } from '../sandbox/api.js';
import { NOTIFY_WINDOW } from '../sandbox/messages.js';
import type { EnabledTool } from './toolSet.js';

export interface CellIdentity {
  sessionId: string;
  cellId: string;
  toolCallId: string | null;
}

export class CellDelegates {
  private nextToolNumber = 1;
  private readonly tools = new Map<string, DelegateCall>();
  private readonly notifications = new Set<Promise<unknown>>();
  private readonly notificationCalls = new Set<DelegateCall>();
  /** Cells blocked in notify() until one of their notifications settles. */
  private notifyWaiters: Array<() => void> = [];
  private accepting = true;

  constructor(
    private readonly identity: CellIdentity,
    private readonly enabled: ReadonlyMap<string, EnabledTool>,
    private readonly channel: DelegateChannel,
    private readonly maxPendingToolCalls: number,
    private readonly logger: Logger,
    private readonly memory: MemoryBudget,
  ) {}

  /** Ids of the tool calls still unanswered, in call order. */
  pendingToolCalls(): string[] {
    return [...this.tools.keys()];
  }

  /** Answers `answer` once: at once when the call is refused, else with the client's answer. */
  invokeTool(jsName: string, inputJson: string | undefined, answer: (outcome: ToolOutcome) => void): void {
    const refusal = this.refusal(jsName, inputJson);
    if (refusal !== undefined) return answer({ ok: false, message: refusal });
    const tool = this.enabled.get(jsName)!;
    const inputBytes = inputJson?.length ?? 0;
    const callId = `tool-${this.nextToolNumber++}`;
    const params: DelegateInvokeToolParams = {
      ...this.identity,
      callId,
      tool: { name: tool.definition.name, namespace: tool.definition.namespace ?? null },
      kind: tool.definition.kind ?? 'function',
      input: inputJson === undefined ? null : JSON.parse(inputJson),
    };
    const call = this.channel.call(Methods.delegateInvokeTool, params, (outcome) => {
      this.memory.release(inputBytes);
      this.tools.delete(callId);
      answer(outcome.ok ? { ok: true, result: outcome.value.result } : outcome);
    });
    this.tools.set(callId, call);
  }

  /** Why the call cannot be sent, or undefined (and its input's bytes are reserved). */
  private refusal(jsName: string, inputJson: string | undefined): string | undefined {
    if (!this.accepting) return 'the cell is ending; the tool call was not sent';
    if (!this.enabled.has(jsName)) return `tool ${jsName} is not enabled in this cell`;
    const share = this.channel.capacity - Math.floor(this.channel.capacity / 4);
    if (this.tools.size >= share) {
      return `cell already has ${share} pending tool calls, its share of the host's maxPendingDelegateCalls (${this.channel.capacity}); await some before calling more`;
    }
    if (this.tools.size >= this.maxPendingToolCalls) {
      return `cell exceeded its limit of ${this.maxPendingToolCalls} pending tool calls (maxPendingToolCalls); await some before calling more`;
    }
    const inputBytes = inputJson?.length ?? 0;
    if (!this.memory.tryReserve(inputBytes)) return this.memory.refusal(`tools.${jsName}()`, inputBytes);
    return undefined;
  }

  /** Sends the notification; resolves once the cell has fewer than NOTIFY_WINDOW unanswered, so one cell cannot fill the connection. */
  notify(text: string): Promise<void> {
    if (!this.accepting) return Promise.resolve();
    const params: DelegateNotifyParams = { ...this.identity, text };
    let call!: DelegateCall;
    const settled = new Promise<void>((resolve) => {
      call = this.channel.call(Methods.delegateNotify, params, (outcome) => {
        if (!outcome.ok) this.logger.debug(`notification of cell ${this.identity.cellId} failed: ${outcome.message}`);
        this.notificationCalls.delete(call);
        this.notifications.delete(settled);
        this.notifyWaiters.shift()?.();
        resolve();
      });
    });
    this.notificationCalls.add(call);
    this.notifications.add(settled);
    if (this.notificationCalls.size < NOTIFY_WINDOW) return Promise.resolve();
    return new Promise((resolve) => this.notifyWaiters.push(resolve));
  }

  /** The cell completed: its unanswered tool calls are cancelled; notifications may still finish. */
  cancelTools(reason: string): void {
    this.accepting = false;
    for (const call of this.tools.values()) call.cancel(reason);
    this.tools.clear();
  }

  /** The cell is being stopped: cancel everything. */
  cancelAll(reason: string): void {
    this.cancelTools(reason);
    for (const call of this.notificationCalls) call.cancel(reason);
    for (const resume of this.notifyWaiters.splice(0)) resume();
  }

  /** Resolves once every notification sent so far has been answered or cancelled. */
  async notificationsSettled(): Promise<void> {
    while (this.notifications.size > 0) await Promise.all(this.notifications);
  }
}

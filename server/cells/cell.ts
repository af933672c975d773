/**
 * One execution of a source text in a session, from admission to `cell/closed`.
 *
 * Phases: starting (the isolate is being prepared) → running → finishing (the code settled;
 * notifications drain, the store commits) → settled. A terminate moves running to stopping, whose
 * runtime exit also leads to settled. The final result goes to whoever observes the cell when it
 * settles (the observer and any terminators); if nobody does, it stays pending until the next
 * wait or terminate collects it.
 *
 * What the cell hands over in a response, its final result or output drained at a yield, counts
 * as given when the response is produced; the writer may still replace that response with an
 * error (server/handover.ts), and then the cell takes it back: the result is pending again, in its
 * session's table, and the output buffered again, before what came since.
 */
import type { CancellationToken } from 'vscode-jsonrpc/node';
import type { CellResponse, CellStatus, ContentItem, EffectiveSessionLimits } from '../../schemas/index.js';
import { DEFAULT_YIELD_TIME_MS } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import { handingOver } from '../handover.js';
import type { CellEvents, CellExit, CellProgram, CellRun } from '../sandbox/api.js';
import type { StoreView } from '../sessions/sessionStore.js';
import type { CellDelegates, CellIdentity } from './cellDelegates.js';
import type { CellHost } from './cellHost.js';
import { Observer, type ObserverKind } from './observer.js';
import { OutputBuffer } from './outputBuffer.js';
import { OutputLoans } from './outputLoans.js';
import { ResultDelivery, type CellTable } from './resultDelivery.js';
import { jsonStringBytes } from './outputItems.js';
import { truncateItems } from './truncate.js';

interface FinalResult {
  status: Extract<CellStatus, 'completed' | 'terminated'>;
  error: string | null;
  items: ContentItem[];
  /** The items' JSON size in a response (OutputBuffer's count). */
  itemBytes: number;
}

/** Room left in a response for everything but items and error: ids, status, numbers, the marker. */
const RESPONSE_OVERHEAD_BYTES = 1024;

type Phase =
  | { kind: 'starting'; stopRequested: boolean }
  | { kind: 'running'; run: CellRun }
  | { kind: 'stopping'; run: CellRun }
  | { kind: 'finishing' }
  | { kind: 'settled'; final: FinalResult; delivery: ResultDelivery };

/** Who answers with the final result: the observer, or a terminate. */
interface Taker {
  readonly receivedAt: number;
  readonly maxOutputTokens: number | undefined;
  resolve(response: CellResponse): void;
  reject(error: unknown): void;
}

/** Waits for the cell to settle: a client's terminate, or a drop (its session closing) that takes the result unsent. */
type Terminator = ({ kind: 'request' } & Taker) | { kind: 'drop'; settled: () => void };

export interface CellOptions extends CellTable {
  identity: CellIdentity;
  limits: EffectiveSessionLimits;
  storeView: StoreView;
  delegates: CellDelegates;
  host: CellHost;
  /** Called once `cell/closed` has been sent. */
  onClosed: () => void;
}

export class Cell {
  private phase: Phase = { kind: 'starting', stopRequested: false };
  private observer: Observer | undefined;
  private readonly terminators: Terminator[] = [];
  private readonly output: OutputBuffer;
  private readonly loans: OutputLoans;

  constructor(private readonly options: CellOptions) {
    this.output = new OutputBuffer(options.limits.maxOutputBytes);
    this.loans = new OutputLoans(options.identity.cellId, this.output, (action) => options.host.afterResponses(action));
  }

  get id(): string {
    return this.options.identity.cellId;
  }

  /** The execute that starts the cell: its first observation. */
  execute(program: CellProgram, yieldTimeMs: number | undefined, maxOutputTokens: number | undefined, token: CancellationToken, receivedAt: number): Promise<CellResponse> {
    if (token.isCancellationRequested) {
      // The cancelled execute takes the cell's (empty) terminated result, so nothing stays pending.
      this.terminators.push({ kind: 'drop', settled: () => {} });
      this.settle('terminated', null);
      return Promise.reject(hostError.cancelledBeforeStart(this.id));
    }
    const observer = this.attach('execute', receivedAt, maxOutputTokens, token);
    void this.startRuntime(program, this.windowMs(yieldTimeMs));
    return observer.response;
  }

  wait(yieldTimeMs: number | undefined, maxOutputTokens: number | undefined, token: CancellationToken, receivedAt: number): Promise<CellResponse> {
    if (this.phase.kind === 'settled') return Promise.resolve(this.collect(receivedAt, maxOutputTokens));
    if (this.observer !== undefined) throw hostError.cellBusy(this.id);
    const observer = this.attach('wait', receivedAt, maxOutputTokens, token);
    observer.startTimer(this.windowMs(yieldTimeMs), () => this.endObservation('yielded'));
    return observer.response;
  }

  async terminate(receivedAt: number): Promise<CellResponse> {
    if (this.phase.kind === 'settled') return this.collect(receivedAt, undefined);
    this.stop();
    return new Promise((resolve, reject) => this.terminators.push({ kind: 'request', receivedAt, maxOutputTokens: undefined, resolve, reject }));
  }

  /** Its session closes: stops the cell if it is live and drops its result; resolves once it settled. */
  async close(): Promise<void> {
    if (this.phase.kind === 'settled') return;
    this.stop();
    await new Promise<void>((settled) => this.terminators.push({ kind: 'drop', settled }));
  }

  /** `cell/yield`: ends the active observation window now. */
  yieldObserver(): boolean {
    if (this.observer === undefined) return false;
    this.endObservation('yielded');
    return true;
  }

  /** Whether the runtime is still alive (not yet settled). */
  get live(): boolean {
    return this.phase.kind !== 'settled';
  }

  private stop(): void {
    const phase = this.phase;
    switch (phase.kind) {
      case 'starting':
        phase.stopRequested = true;
        break;
      case 'running':
        this.phase = { kind: 'stopping', run: phase.run };
        this.options.delegates.cancelAll(`cell ${this.id} was terminated`);
        phase.run.terminate();
        break;
      case 'finishing':
        // The code already settled: natural completion wins, but a stuck notification must not hold it.
        this.options.delegates.cancelAll(`cell ${this.id} was terminated`);
        break;
      case 'stopping':
      case 'settled':
        break;
    }
  }

  private attach(kind: ObserverKind, receivedAt: number, maxOutputTokens: number | undefined, token: CancellationToken): Observer {
    const observer = new Observer(kind, receivedAt, maxOutputTokens);
    this.observer = observer;
    observer.onCancel(token, () => {
      if (this.observer !== observer) return;
      this.observer = undefined;
      observer.reject(hostError.cancelled(this.id));
    });
    return observer;
  }

  private windowMs(requested: number | undefined): number {
    const wanted = requested ?? DEFAULT_YIELD_TIME_MS;
    const cap = this.options.limits.maxYieldTimeMs;
    return cap === null ? wanted : Math.min(wanted, cap);
  }

  private async startRuntime(program: CellProgram, windowMs: number): Promise<void> {
    let run: CellRun;
    try {
      run = await this.options.host.sandbox.start(program, this.events());
    } catch (error) {
      this.options.host.logger.error(`cell ${this.id} failed to start: ${error instanceof Error ? error.stack : String(error)}`);
      this.phase = { kind: 'finishing' };
      this.settle('completed', `cell failed to start: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    const stopRequested = this.phase.kind === 'starting' && this.phase.stopRequested;
    this.phase = stopRequested ? { kind: 'stopping', run } : { kind: 'running', run };
    if (stopRequested) {
      this.options.delegates.cancelAll(`cell ${this.id} was terminated`);
      run.terminate();
    }
    const observer = this.observer;
    if (observer?.kind === 'execute') observer.startTimer(windowMs, () => this.endObservation('yielded'));
    void run.done.then((exit) => this.onRuntimeExit(exit));
  }

  private events(): CellEvents {
    const { delegates, host } = this.options;
    return {
      output: (items, droppedBytes) => {
        if (this.phase.kind === 'settled') return;
        const kept = this.output.push(items, droppedBytes);
        if (kept.length > 0) host.streamOutput({ sessionId: this.options.identity.sessionId, cellId: this.id, items: kept });
      },
      yieldControl: () => {
        if (this.observer !== undefined) this.endObservation('yielded');
      },
      toolCall: (jsName, inputJson, answer) => delegates.invokeTool(jsName, inputJson, answer),
      notify: (text) => delegates.notify(text),
      store: (key, json) => this.options.storeView.store(key, json),
      load: (key) => this.options.storeView.load(key),
    };
  }

  private async onRuntimeExit(exit: CellExit): Promise<void> {
    const { delegates } = this.options;
    this.phase = { kind: 'finishing' };
    if (exit.kind === 'terminated') {
      delegates.cancelAll(`cell ${this.id} was terminated`);
      this.settle('terminated', exit.error ?? null);
      return;
    }
    if (exit.kind === 'lost') {
      // The process running the cell died: its writes are dropped, as the code never finished.
      delegates.cancelAll(`cell ${this.id} ended: ${exit.error}`);
      this.settle('completed', exit.error);
      return;
    }
    delegates.cancelTools(`cell ${this.id} completed before this tool call was answered`);
    await delegates.notificationsSettled();
    const refused = this.options.host.commitStore(this.options.storeView);
    this.settle('completed', exit.error ?? refused);
  }

  /** Settles the cell once no output is on loan (outputLoans.ts): the final result takes what came back. */
  private settle(status: FinalResult['status'], error: string | null): void {
    this.loans.after(() => this.settleNow(status, error));
  }

  /**
   * The final result goes to the observer and every terminator; it is handed out when one of their
   * responses can be sent, otherwise it stays pending for a wait that asks for less.
   */
  private settleNow(status: FinalResult['status'], error: string | null): void {
    const { host, identity } = this.options;
    this.options.storeView.release();
    const drained = this.output.drain();
    const final: FinalResult = { status, error, items: drained.items, itemBytes: drained.jsonBytes };
    const delivery = new ResultDelivery(this.id, this.options);
    this.phase = { kind: 'settled', final, delivery };
    const observer = this.observer;
    this.observer = undefined;
    const terminators = this.terminators.splice(0);
    if (observer !== undefined) this.answer(final, delivery, observer);
    for (const terminator of terminators) {
      if (terminator.kind === 'request') this.answer(final, delivery, terminator);
      else delivery.drop();
    }
    host.releaseActiveCell();
    for (const terminator of terminators) if (terminator.kind === 'drop') terminator.settled();
    // By then the writer has ruled on every response that carried the result (handover.ts).
    host.afterResponses(() => {
      host.cellClosed({ sessionId: identity.sessionId, cellId: this.id, status, resultPending: delivery.pending });
      this.options.onClosed();
    });
  }

  /** Answers with the final result, handed out, or -32031 when the response could not be sent. */
  private answer(final: FinalResult, delivery: ResultDelivery, taker: Taker): void {
    let response: CellResponse;
    try {
      response = this.finalResponse(final, delivery, taker.receivedAt, taker.maxOutputTokens);
    } catch (tooLarge) {
      taker.reject(tooLarge);
      return;
    }
    taker.resolve(response);
  }

  /** A wait or terminate on a settled cell takes its pending result; the cell leaves its session's table. */
  private collect(receivedAt: number, maxOutputTokens: number | undefined): CellResponse {
    const phase = this.phase;
    if (phase.kind !== 'settled' || !phase.delivery.pending) throw new Error(`cell ${this.id} has no pending result to collect`);
    return this.finalResponse(phase.final, phase.delivery, receivedAt, maxOutputTokens);
  }

  /** The final result's response, handed out; a -32031 error, thrown, when it could not be sent (the result stays pending). */
  private finalResponse(final: FinalResult, delivery: ResultDelivery, receivedAt: number, maxOutputTokens: number | undefined): CellResponse {
    const response = this.responseOf(final.status, final.items, final.error, receivedAt, maxOutputTokens);
    const bytes = this.oversize(final, response);
    if (bytes !== undefined) throw hostError.resultTooLarge(this.id, bytes, this.options.host.maxResponseBytes);
    return handingOver(response, delivery.handOut());
  }

  /** The response's size when it is over what the connection can send; the exact size is only computed near the limit. */
  private oversize(final: Pick<FinalResult, 'itemBytes' | 'error'>, response: CellResponse): number | undefined {
    const room = this.options.host.maxResponseBytes - RESPONSE_OVERHEAD_BYTES;
    const bound = final.itemBytes + jsonStringBytes(final.error ?? '') + JSON.stringify(response.pendingToolCalls).length;
    if (bound <= room) return undefined;
    const bytes = Buffer.byteLength(JSON.stringify(response));
    return bytes <= room ? undefined : bytes;
  }

  /** Ends the observation once no output is on loan (outputLoans.ts), so output keeps its order. */
  private endObservation(status: 'yielded'): void {
    const observer = this.observer;
    if (observer === undefined) return;
    this.loans.after(() => {
      if (this.observer === observer) this.answerObserver(observer, status);
    });
  }

  /**
   * Answers with the output so far, lent until the writer rules on the response. Output too large
   * to send stays buffered for the next observation, which can ask for less (maxOutputTokens), as a
   * final result does.
   */
  private answerObserver(observer: Observer, status: 'yielded'): void {
    this.observer = undefined;
    const pending = this.output.peek();
    const response = this.responseOf(status, pending.items, null, observer.receivedAt, observer.maxOutputTokens);
    const bytes = this.oversize({ error: null, itemBytes: pending.jsonBytes }, response);
    if (bytes !== undefined) observer.reject(hostError.outputTooLarge(this.id, bytes, this.options.host.maxResponseBytes));
    else observer.resolve(pending.items.length === 0 ? response : handingOver(response, this.loans.lend()));
  }

  private responseOf(status: CellStatus, items: ContentItem[], error: string | null, receivedAt: number, maxOutputTokens: number | undefined): CellResponse {
    return {
      cellId: this.id,
      status,
      items: truncateItems(items, maxOutputTokens),
      error,
      durationMs: elapsedMs(receivedAt),
      pendingToolCalls: this.options.delegates.pendingToolCalls(),
    };
  }
}

export function elapsedMs(since: number): number {
  return Math.round((performance.now() - since) * 1000) / 1000;
}

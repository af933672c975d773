/**
 * One execution of a source text in a session, from admission to `cell/closed`.
 *
 * Phases: starting (the isolate is being prepared) → running → finishing (the code settled;
 * notifications drain, the store commits) → settled. A terminate moves running to stopping, whose
 * runtime exit also leads to settled. The final result goes to whoever observes the cell when it
 * settles (the observer and any terminators); if nobody does, it stays pending until the next
 * wait or terminate collects it.
 */
import type { CancellationToken } from 'vscode-jsonrpc/node';
import type { CellResponse, CellStatus, ContentItem, EffectiveSessionLimits } from '../../schemas/index.js';
import { DEFAULT_YIELD_TIME_MS } from '../../schemas/index.js';
import { hostError } from '../errors.js';
import type { CellEvents, CellExit, CellProgram, CellRun } from '../sandbox/api.js';
import type { StoreView } from '../sessions/sessionStore.js';
import type { CellDelegates, CellIdentity } from './cellDelegates.js';
import type { CellHost } from './cellHost.js';
import { Observer, type ObserverKind } from './observer.js';
import { OutputBuffer } from './outputBuffer.js';
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
  | { kind: 'settled'; final: FinalResult; delivered: boolean };

export interface CellOptions {
  identity: CellIdentity;
  limits: EffectiveSessionLimits;
  storeView: StoreView;
  delegates: CellDelegates;
  host: CellHost;
  /** Called once the cell's result has been delivered: the cell is gone from its session's table. */
  onCollected: () => void;
  /** Called once `cell/closed` has been sent. */
  onClosed: () => void;
}

export class Cell {
  private phase: Phase = { kind: 'starting', stopRequested: false };
  private observer: Observer | undefined;
  private terminators = 0;
  private readonly output: OutputBuffer;
  private readonly settledFinal: Promise<FinalResult>;
  private resolveSettled!: (final: FinalResult) => void;

  constructor(private readonly options: CellOptions) {
    this.output = new OutputBuffer(options.limits.maxOutputBytes);
    this.settledFinal = new Promise((resolve) => (this.resolveSettled = resolve));
  }

  get id(): string {
    return this.options.identity.cellId;
  }

  /** The execute that starts the cell: its first observation. */
  execute(program: CellProgram, yieldTimeMs: number | undefined, maxOutputTokens: number | undefined, token: CancellationToken, receivedAt: number): Promise<CellResponse> {
    if (token.isCancellationRequested) {
      // The cancelled execute takes the cell's (empty) terminated result, so nothing stays pending.
      this.terminators++;
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
    const phase = this.phase;
    switch (phase.kind) {
      case 'settled':
        return this.collect(receivedAt, undefined);
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
        break;
    }
    this.terminators++;
    const final = await this.settledFinal;
    return this.sendable(final, this.responseOf(final.status, final.items, final.error, receivedAt, undefined));
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

  /**
   * The final result goes to the observer and every terminator; it counts as delivered only when
   * one of their responses can be sent, otherwise it stays pending for a wait that asks for less.
   */
  private settle(status: FinalResult['status'], error: string | null): void {
    this.options.storeView.release();
    const drained = this.output.drain();
    const final: FinalResult = { status, error, items: drained.items, itemBytes: drained.jsonBytes };
    const observer = this.observer;
    this.observer = undefined;
    let delivered = false;
    if (observer !== undefined) {
      try {
        observer.resolve(this.sendable(final, this.responseOf(status, final.items, error, observer.receivedAt, observer.maxOutputTokens)));
        delivered = true;
      } catch (tooLarge) {
        observer.reject(tooLarge);
      }
    }
    if (!delivered && this.terminators > 0) delivered = this.oversize(final, this.responseOf(status, final.items, error, performance.now(), undefined)) === undefined;
    this.phase = { kind: 'settled', final, delivered };
    this.options.host.releaseActiveCell();
    this.resolveSettled(final);
    if (delivered) this.options.onCollected();
    this.options.host.afterResponses(() => {
      this.options.host.cellClosed({ sessionId: this.options.identity.sessionId, cellId: this.id, status, resultPending: !delivered });
      this.options.onClosed();
    });
  }

  /** A wait or terminate on a settled cell takes its pending result; the cell is then gone. */
  private collect(receivedAt: number, maxOutputTokens: number | undefined): CellResponse {
    if (this.phase.kind !== 'settled') throw new Error(`cell ${this.id} collected before it settled`);
    const { final } = this.phase;
    const response = this.sendable(final, this.responseOf(final.status, final.items, final.error, receivedAt, maxOutputTokens));
    this.phase.delivered = true;
    this.options.onCollected();
    return response;
  }

  /** The response, or a -32031 error when it could not be sent (the result then stays pending). */
  private sendable(final: FinalResult, response: CellResponse): CellResponse {
    const bytes = this.oversize(final, response);
    if (bytes !== undefined) throw hostError.resultTooLarge(this.id, bytes, this.options.host.maxResponseBytes);
    return response;
  }

  /** The response's size when it is over what the connection can send; the exact size is only computed near the limit. */
  private oversize(final: FinalResult, response: CellResponse): number | undefined {
    const room = this.options.host.maxResponseBytes - RESPONSE_OVERHEAD_BYTES;
    const bound = final.itemBytes + jsonStringBytes(final.error ?? '') + JSON.stringify(response.pendingToolCalls).length;
    if (bound <= room) return undefined;
    const bytes = Buffer.byteLength(JSON.stringify(response));
    return bytes <= room ? undefined : bytes;
  }

  /**
   * Ends the observation with the output so far. Output too large to send stays buffered for the
   * next observation, which can ask for less (maxOutputTokens), as a final result does.
   */
  private endObservation(status: 'yielded'): void {
    const observer = this.observer;
    if (observer === undefined) return;
    this.observer = undefined;
    const pending = this.output.peek();
    const response = this.responseOf(status, pending.items, null, observer.receivedAt, observer.maxOutputTokens);
    const bytes = this.oversize({ status: 'completed', error: null, items: pending.items, itemBytes: pending.jsonBytes }, response);
    if (bytes !== undefined) {
      observer.reject(hostError.outputTooLarge(this.id, bytes, this.options.host.maxResponseBytes));
      return;
    }
    this.output.drain();
    observer.resolve(response);
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

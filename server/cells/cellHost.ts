/**
 * What a cell needs from the host around it, so cells know nothing of JSON-RPC or sessions.
 */
import type { CellClosedParams, CellOutputParams } from '../../schemas/index.js';
import type { Logger } from '../log.js';
import type { CellStarter } from '../sandbox/api.js';
import type { StoreView } from '../sessions/sessionStore.js';

export interface CellHost {
  /** The session's realm for a persistent session, else the sandbox. */
  readonly sandbox: CellStarter;
  readonly logger: Logger;
  /** The largest response the connection can send (maxMessageBytes): a final result over it stays pending. */
  readonly maxResponseBytes: number;
  /** Sends `cell/output` when the client asked for streaming; otherwise does nothing. */
  streamOutput(params: CellOutputParams): void;
  /** Sends `cell/closed`. */
  cellClosed(params: CellClosedParams): void;
  /** Runs `action` after every response already produced has been written. */
  afterResponses(action: () => void): void;
  /** Commits the cell's store writes; returns why they were refused, or null. */
  commitStore(view: StoreView): string | null;
  /** The cell's runtime is gone: its maxActiveCells slot is free. */
  releaseActiveCell(): void;
}

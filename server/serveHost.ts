/**
 * Serves one connection on stdin/stdout with a running Supervisor (hostProcess.ts started it), and
 * exits when that connection ends — 0 after shutdown+exit, EOF or a signal; 1 on exit without
 * shutdown; 2 on an unparseable frame header. Messages are handled in arrival order, so `exit`
 * followed at once by EOF is an exit (1 without shutdown), and every request read before EOF or a
 * bad header is answered before the process exits. Every way out disposes the sandbox processes.
 */
import type { CellClosedParams, CellOutputParams, HostLimits, SessionResetParams } from '../schemas/index.js';
import { Methods } from '../schemas/index.js';
import { DelegateChannel } from './delegate/delegateChannel.js';
import { HostState } from './hostState.js';
import { serveConnection } from './hostServer.js';
import type { Logger } from './log.js';
import type { Supervisor } from './sandbox/supervisor.js';
import { AdmissionCounter } from './sessions/admissionCounter.js';
import { MemoryBudget } from './sessions/memoryBudget.js';
import { createHostTransport } from './transport/hostTransport.js';
import { hostVersion } from './version.js';

/** Teardown may not hold the process forever: a client that stopped reading cannot block exit. */
const TEARDOWN_TIMEOUT_MS = 5_000;

export function serveHost(limits: Required<HostLimits>, logger: Logger, sandbox: Supervisor): void {
  const transport = createHostTransport({
    input: process.stdin,
    output: process.stdout,
    maxMessageBytes: limits.maxMessageBytes,
    maxInFlightRequests: limits.maxInFlightRequests,
    logger,
  });
  const { connection } = transport;
  const delegates = new DelegateChannel(connection, limits.maxPendingDelegateCalls, logger);
  const host: HostState = new HostState(limits, {
    sandbox,
    logger,
    maxResponseBytes: limits.maxMessageBytes,
    delegates,
    activeCells: new AdmissionCounter(limits.maxActiveCells),
    memory: new MemoryBudget(limits.maxHostMemoryBytes),
    streamOutput: (params: CellOutputParams) => {
      if (host.streamOutput) void connection.sendNotification(Methods.cellOutput, params);
    },
    cellClosed: (params: CellClosedParams) => void connection.sendNotification(Methods.cellClosed, params),
    sessionReset: (params: SessionResetParams) => void connection.sendNotification(Methods.sessionReset, params),
    afterResponses: (action) => setImmediate(action),
  });

  let exiting = false;
  const exit = async (status: number, why: string) => {
    if (exiting) return;
    exiting = true;
    logger.debug(`exiting with status ${status}: ${why}`);
    await withTimeout(host.teardown(), TEARDOWN_TIMEOUT_MS, logger);
    // Every request read before the end was dispatched; each gets its answer (-32012 once
    // teardown began) before the process goes.
    await withTimeout(connection.answered(), TEARDOWN_TIMEOUT_MS, logger);
    sandbox.dispose();
    await withTimeout(transport.flushed(), TEARDOWN_TIMEOUT_MS, logger);
    transport.dispose();
    process.exit(status);
  };

  serveConnection(connection, host, logger, {
    onExit: (status) => void exit(status, 'exit notification'),
    onInitialized: () => sandbox.warm(),
  });
  transport.onFatal((error) => {
    logger.error(`unrecoverable input: ${error.message}; closing every session and exiting`);
    void exit(2, 'fatal frame header');
  });
  transport.onInputEnd(() => void exit(0, 'stdin closed'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void exit(0, signal));
  transport.listen();
  logger.info(`codemode-host ${hostVersion()} ready (pid ${process.pid})`);
}

async function withTimeout(work: Promise<void>, ms: number, logger: Logger): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      logger.warn(`teardown step did not finish within ${ms} ms; exiting anyway`);
      resolve();
    }, ms);
  });
  await Promise.race([work, expired]);
  clearTimeout(timer);
}

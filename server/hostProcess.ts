/**
 * The host process: parses the command line, serves one connection on stdin/stdout, and exits
 * when that connection ends — 0 after shutdown+exit, EOF or a signal; 1 on exit without
 * shutdown; 2 on an unusable command line or an unparseable frame header. Messages are handled
 * in arrival order, so `exit` followed at once by EOF is an exit (1 without shutdown), and every
 * request read before EOF or a bad header is answered before the process exits.
 */
import type { CellClosedParams, CellOutputParams, SessionResetParams } from '../schemas/index.js';
import { Methods } from '../schemas/index.js';
import { helpText, parseArgs } from './cli/args.js';
import { DelegateChannel } from './delegate/delegateChannel.js';
import { HostState } from './hostState.js';
import { serveConnection } from './hostServer.js';
import { createStderrLogger, type Logger } from './log.js';
import { Supervisor } from './sandbox/supervisor.js';
import { AdmissionCounter } from './sessions/admissionCounter.js';
import { MemoryBudget } from './sessions/memoryBudget.js';
import { createHostTransport } from './transport/hostTransport.js';
import { outputDrain } from './transport/outputDrain.js';
import { hostVersion } from './version.js';

/** Teardown may not hold the process forever: a client that stopped reading cannot block exit. */
const TEARDOWN_TIMEOUT_MS = 5_000;

export async function runHost(argv: readonly string[]): Promise<void> {
  routeConsoleToStderr();
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    // Without a connection stdout is free, and users expect --help and --version there.
    case 'help':
      process.stdout.write(`${helpText()}\n`);
      return;
    case 'version':
      process.stdout.write(`codemode-host ${hostVersion()}\n`);
      return;
    case 'error':
      process.stderr.write(`${parsed.message}\n`);
      process.exitCode = 2;
      return;
    case 'run':
      break;
  }
  const { limits, logLevel } = parsed.options;
  const logger = createStderrLogger(logLevel);
  const sandbox = new Supervisor({
    logger,
    logLevel,
    maxProcesses: limits.maxSandboxProcesses,
    idleExitMs: limits.sandboxIdleExitMs,
    whenOutputDrains: outputDrain(process.stdout),
  });
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

  serveConnection(connection, host, logger, { onExit: (status) => void exit(status, 'exit notification') });
  transport.onFatal((error) => {
    logger.error(`unrecoverable input: ${error.message}; closing every session and exiting`);
    void exit(2, 'fatal frame header');
  });
  transport.onInputEnd(() => void exit(0, 'stdin closed'));
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => void exit(0, signal));
  transport.listen();
  logger.info(`codemode-host ${hostVersion()} ready (pid ${process.pid})`);
}

/** stdout belongs to the protocol: any stray console output goes to stderr instead. */
function routeConsoleToStderr(): void {
  /* eslint-disable no-console -- this is the one place that rewires console, so it must name it */
  const toStderr = (...args: unknown[]) => console.error(...args);
  console.log = toStderr;
  console.info = toStderr;
  console.debug = toStderr;
  /* eslint-enable no-console */
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

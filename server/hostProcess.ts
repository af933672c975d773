/**
 * The host process: parses the command line (exit status 2 when it is unusable, before anything
 * starts), then serves one connection on stdin/stdout (serveHost.ts) with a Supervisor for its
 * sandbox processes, which serveHost disposes on every way out. The first sandbox process starts
 * once the handshake is done (hostServer.ts, on `initialized`), not before the answer to
 * `initialize`: its start is a synchronous spawn, and on two cores its boot competed with the
 * host's own (docs/benchmarks.md, host_start).
 */
import { helpText, parseArgs } from './cli/args.js';
import { createStderrLogger } from './log.js';
import { Supervisor } from './sandbox/supervisor.js';
import { serveHost } from './serveHost.js';
import { outputDrain } from './transport/outputDrain.js';
import { hostVersion } from './version.js';

export function runHost(argv: readonly string[]): void {
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
  serveHost(limits, logger, sandbox);
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

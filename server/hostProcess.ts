/**
 * The host process: parses the command line (exit status 2 when it is unusable, before anything
 * starts), starts its warm sandbox process, then loads and serves one connection on stdin/stdout
 * (serveHost.ts). The sandbox process is started before the
 * rest of the host is even loaded: its start-up (Node's own, isolated-vm's load, the pooled
 * isolates) is most of what a first cell would otherwise wait for after a host start, and on a
 * second core it overlaps the host's module loading and handshake. The Supervisor owns it from
 * its first moment, and serveHost disposes it on every way out.
 */
import { helpText, parseArgs } from './cli/args.js';
import { createStderrLogger } from './log.js';
import { Supervisor } from './sandbox/supervisor.js';
import type * as ServeHostModule from './serveHost.js';
import { outputDrain } from './transport/outputDrain.js';
import { hostVersion } from './version.js';

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
  let served: typeof ServeHostModule;
  try {
    served = await import('./serveHost.js');
  } catch (error) {
    sandbox.dispose();
    throw error;
  }
  served.serveHost(limits, logger, sandbox);
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

/**
 * The host's only human-readable output: leveled lines on stderr. stdout carries frames alone.
 */
export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Logger {
  error(message: string): void;
  warn(message: string): void;
  info(message: string): void;
  debug(message: string): void;
}

export function isLogLevel(value: string): value is LogLevel {
  return (LOG_LEVELS as readonly string[]).includes(value);
}

/** A logger writing `codemode-host <level>: <message>` lines to stderr, dropping levels below `level`. */
export function createStderrLogger(level: LogLevel): Logger {
  const threshold = LOG_LEVELS.indexOf(level);
  const line = (at: LogLevel) => (message: string) => {
    if (LOG_LEVELS.indexOf(at) <= threshold) process.stderr.write(`codemode-host ${at}: ${message}\n`);
  };
  return { error: line('error'), warn: line('warn'), info: line('info'), debug: line('debug') };
}

/** A logger that drops everything; for components under test. */
export const silentLogger: Logger = { error() {}, warn() {}, info() {}, debug() {} };

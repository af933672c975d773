/**
 * The host's command line: one flag per HostLimits field and per session default (the field's
 * name in kebab case), plus --log-level, --version and --help. Any mistake is one line on stderr
 * and exit status 2.
 */
import type { EffectiveSessionLimits, HostLimits } from '../../schemas/index.js';
// limits.js, not index.js: the command line is read before the validators are loaded (hostProcess.ts).
import { DEFAULT_HOST_LIMITS, HOST_LIMIT_BOUNDS, SESSION_LIMIT_BOUNDS } from '../../schemas/limits.js';
import { LOG_LEVELS, isLogLevel, type LogLevel } from '../log.js';

export interface HostOptions {
  limits: Required<HostLimits>;
  logLevel: LogLevel;
}

export type ParsedArgs = { kind: 'run'; options: HostOptions } | { kind: 'help' } | { kind: 'version' } | { kind: 'error'; message: string };

type HostKey = Exclude<keyof HostLimits, 'sessionDefaults'>;
type SessionKey = keyof EffectiveSessionLimits;
interface LimitFlag {
  flag: string;
  apply(limits: HostLimits, value: number | null): void;
  min: number;
  max: number;
  /** Accepts `none` (no limit). */
  nullable: boolean;
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

const LIMIT_FLAGS: LimitFlag[] = [
  ...(Object.keys(HOST_LIMIT_BOUNDS) as HostKey[]).map((key) => ({
    flag: `--${kebab(key)}`,
    apply: (limits: HostLimits, value: number | null) => {
      if (value !== null) limits[key] = value;
    },
    ...HOST_LIMIT_BOUNDS[key],
    nullable: false,
  })),
  ...(Object.keys(SESSION_LIMIT_BOUNDS) as SessionKey[]).map((key) => ({
    flag: `--${kebab(key)}`,
    apply: (limits: HostLimits, value: number | null) => {
      (limits.sessionDefaults as Record<SessionKey, number | null>)[key] = value;
    },
    min: SESSION_LIMIT_BOUNDS[key].min,
    max: SESSION_LIMIT_BOUNDS[key].max,
    nullable: DEFAULT_HOST_LIMITS.sessionDefaults[key] === null,
  })),
];

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const limits = structuredClone(DEFAULT_HOST_LIMITS) as Required<HostLimits>;
  let logLevel: LogLevel = 'info';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    if (arg === '--version' || arg === '-v') return { kind: 'version' };
    const eq = arg.indexOf('=');
    const name = eq < 0 ? arg : arg.slice(0, eq);
    const takeValue = (): string | undefined => (eq < 0 ? argv[++i] : arg.slice(eq + 1));
    if (name === '--log-level') {
      const value = takeValue();
      if (value === undefined || !isLogLevel(value)) return fail(`--log-level takes one of ${LOG_LEVELS.join(', ')}`);
      logLevel = value;
      continue;
    }
    const spec = LIMIT_FLAGS.find((f) => f.flag === name);
    if (spec === undefined) return fail(`unknown option ${JSON.stringify(arg)}`);
    const raw = takeValue();
    const value = parseLimit(spec, raw);
    if (typeof value === 'string') return fail(value);
    spec.apply(limits, value);
  }
  return { kind: 'run', options: { limits, logLevel } };
}

function parseLimit(spec: LimitFlag, raw: string | undefined): number | null | string {
  if (raw === undefined) return `${spec.flag} needs a value`;
  if (spec.nullable && raw === 'none') return null;
  const range = `an integer from ${spec.min} to ${spec.max}${spec.nullable ? ', or none' : ''}`;
  if (!/^\d+$/.test(raw)) return `${spec.flag} takes ${range}, not ${JSON.stringify(raw)}`;
  const value = Number(raw);
  if (value < spec.min || value > spec.max) return `${spec.flag} takes ${range}, not ${raw}`;
  return value;
}

function fail(message: string): ParsedArgs {
  return { kind: 'error', message: `codemode-host: ${message} (see --help)` };
}

export function helpText(): string {
  const defaults = DEFAULT_HOST_LIMITS as HostLimits;
  const lines = LIMIT_FLAGS.map((spec) => {
    const key = spec.flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = key in defaults ? defaults[key as HostKey] : defaults.sessionDefaults[key as SessionKey];
    return `  ${`${spec.flag} N`.padEnd(34)}default ${value === null ? 'none' : value}`;
  });
  return [
    'Usage: codemode-host [options]',
    '',
    'Runs the code-mode host: JSON-RPC 2.0 with Content-Length framing on stdin/stdout,',
    'logs on stderr. Start it from a client (see README.md); it exits when stdin closes.',
    '',
    'Host limits and session defaults:',
    ...lines,
    '',
    `  --log-level LEVEL                 ${LOG_LEVELS.join(' | ')} (default info)`,
    '  --version                         print the version and exit',
    '  --help                            print this help and exit',
  ].join('\n');
}

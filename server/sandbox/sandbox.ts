/** The Sandbox factory: strips types, takes a prepared isolate from the pool, starts the cell. */
import type { Logger } from '../log.js';
import type { CellEvents, CellProgram, CellRun, Sandbox } from './api.js';
import { endedRun, startCellRun } from './cellRun.js';
import { compileCell } from './compile.js';
import { createCpuWatch } from './cpuWatch.js';
import { createIsolatePool } from './pool.js';
import { createRealm } from './realm/realm.js';
import { stripTypesBounded } from './typescript.js';

export interface SandboxOptions {
  logger: Logger;
  /** Idle prepared isolates kept per heap limit (default 2); 0 disables the pool. */
  poolSize?: number;
  /** The heap limit most cells use, always pooled (default 128). */
  defaultHeapLimitMb?: number;
  /** How often CPU time limits are checked (default 10 ms). */
  cpuPollMs?: number;
}

export function createSandbox(options: SandboxOptions): Sandbox {
  const { logger } = options;
  const pool = createIsolatePool({
    logger,
    size: options.poolSize ?? 2,
    defaultHeapLimitMb: options.defaultHeapLimitMb ?? 128,
    recentLimits: 2,
  });
  const cpuWatch = createCpuWatch(options.cpuPollMs ?? 10);

  return {
    async start(program: CellProgram, events: CellEvents): Promise<CellRun> {
      let source = program.source;
      if (program.language === 'typescript') {
        const stripped = await stripTypesBounded(source, program.filename, program.limits.cpuTimeLimitMs);
        if (!stripped.ok) return endedRun({ kind: 'completed', error: stripped.error });
        source = stripped.code;
      }
      const prepared = await pool.take(program.limits.heapLimitMb);
      try {
        return await startCellRun(prepared, program, () => compileCell(prepared, source, program.filename), events, { cpuWatch, logger }, false);
      } finally {
        pool.refillSoon();
      }
    },
    openRealm(heapLimitMb: number) {
      return createRealm(heapLimitMb, { pool, cpuWatch, logger });
    },
    dispose() {
      pool.dispose();
    },
  };
}

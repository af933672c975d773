/**
 * respawn: SIGKILL of the host to the next successful execute, through the client's regeneration:
 * the first call after the loss fails (HOST_LOST, or HOST_REPLACED once a fresh host has the
 * session again) and the bench retries at once, as a caller would.
 */
import { CodeModeError, type CodeModeClient, type CodeModeSession } from '../../client/index.js';
import { sampleTimed, timing, warmupFor, type Timing } from '../stats.js';
import { executeOnce } from './execute.js';

const EXPECTED = new Set(['HOST_LOST', 'HOST_REPLACED']);

async function respawnOnce(client: CodeModeClient, session: CodeModeSession): Promise<number> {
  await executeOnce(session);
  const pid = client.hostPid;
  if (pid === undefined) throw new Error('no host to kill');
  const started = performance.now();
  process.kill(pid, 'SIGKILL');
  for (;;) {
    try {
      await executeOnce(session);
      return performance.now() - started;
    } catch (error) {
      if (!(error instanceof CodeModeError) || !EXPECTED.has(error.code)) throw error;
    }
  }
}

/** `client` must allow unlimited restarts. */
export async function respawn(client: CodeModeClient, session: CodeModeSession, samples: number): Promise<Timing> {
  return timing(await sampleTimed(warmupFor(samples), samples, () => respawnOnce(client, session)));
}

/** session_open: the client opening a session on a running host and closing it again. */
import type { CodeModeClient } from '../../client/index.js';
import { sampleMs, timing, warmupFor, type Timing } from '../stats.js';

export async function sessionOpen(client: CodeModeClient, samples: number): Promise<Timing> {
  return timing(
    await sampleMs(warmupFor(samples), samples, async () => {
      const session = await client.openSession();
      await session.close();
    }),
  );
}

/**
 * echo_parallel: per message, PARALLEL_CALLS requests written at once to a minimal stdio peer
 * (`frameEcho.ts`, which answers every frame of a read in one write), until every response is
 * read and parsed; each sample is one burst's time divided by its size. Both ends frame and parse
 * each message once and do nothing else, so with isolate_callback_parallel_inproc it is the floor
 * of tool_call_parallel.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeFrame } from '../../schemas/framing.js';
import { FrameParser } from '../../schemas/frameParser.js';
import { childExit } from '../childExit.js';
import { PARALLEL_CALLS } from '../metrics/toolCalls.js';
import type { Member } from '../rounds.js';
import { timeMs, timing, warmupFor, type Timing } from '../stats.js';

const FRAME_ECHO = fileURLToPath(new URL('./frameEcho.js', import.meta.url));

export function echoParallel(bursts: number): Member<Timing> {
  return {
    name: 'echo_parallel',
    units: bursts,
    warmup: warmupFor(bursts),
    summarize: timing,
    async open() {
      const child = spawn(process.execPath, [FRAME_ECHO], { stdio: ['pipe', 'pipe', 'inherit'] });
      const exit = childExit(child);
      let awaited = 0;
      let done: (() => void) | undefined;
      const parser = new FrameParser(Number.MAX_SAFE_INTEGER, {
        frame(body) {
          JSON.parse(body.toString('utf8'));
          if (--awaited === 0) done?.();
        },
        oversize() {},
        fatal(error) {
          throw error;
        },
      });
      child.stdout.on('data', (chunk: Buffer) => parser.push(chunk));
      // Params about the size of a delegate call's, so the floor carries comparable JSON.
      const burst = (): Promise<void> => {
        const frames = Array.from({ length: PARALLEL_CALLS }, (_, i) => {
          const json = JSON.stringify({ jsonrpc: '2.0', id: i, method: 'echo', params: { sessionId: 'session-1', cellId: 'cell-1', callId: i, input: i } });
          return encodeFrame(json, Buffer.byteLength(json));
        });
        awaited = PARALLEL_CALLS;
        const answered = new Promise<void>((resolve) => (done = resolve));
        child.stdin.write(Buffer.concat(frames));
        return answered;
      };
      return {
        once: async () => (await timeMs(burst)) / PARALLEL_CALLS,
        close() {
          child.stdin.end();
          return exit;
        },
      };
    },
  };
}

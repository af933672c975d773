/**
 * Replays a transcript: plays its client side against a fresh host and checks the host side.
 *
 * Sequencing: every line that is not a host line (a client message, `eof`, `exit`, and the end of
 * the file) waits until every host line above it has been matched. Host messages are matched as
 * they arrive, by the group rule of expectations.ts. After the last line the host's stdin is
 * closed and it must exit without sending anything more.
 */
import { readFile } from 'node:fs/promises';
import { Expectations } from './expectations.js';
import { encodeFrame, FrameSplitter, type Chunk } from './frames.js';
import { groupOf, type Group } from './groups.js';
import { defaultHostCommand, HostChild, type HostExit } from './hostChild.js';
import { isObject, type Json } from './json.js';
import { parseTranscript } from './parse.js';
import { describeOutcome, expected, shorten, where } from './report.js';
import { substitute } from './substitute.js';
import type { Transcript, TranscriptLine } from './transcript.js';

export interface ReplayOptions {
  /** The host command line; the transcript's `host.args` are appended. Default: this package's host. */
  command?: readonly string[];
  /** How long any single wait may take. */
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export type ReplayResult = { ok: true; source: string; hostMessages: number } | { ok: false; source: string; report: string };

export const DEFAULT_TIMEOUT_MS = 10_000;

/** Reads, parses and replays a transcript file. Throws TranscriptSyntaxError for a malformed file. */
export async function replayTranscript(file: string, options: ReplayOptions = {}): Promise<ReplayResult> {
  return replayParsed(parseTranscript(await readFile(file, 'utf8'), file), options);
}

export function replayParsed(transcript: Transcript, options: ReplayOptions = {}): Promise<ReplayResult> {
  return new Replay(transcript, options).run();
}

type Action = Exclude<TranscriptLine, { kind: 'host' }>;

class Replay {
  private readonly expectations: Expectations;
  private readonly host: HostChild;
  private readonly splitter = new FrameSplitter();
  private readonly timeoutMs: number;
  /** Index of the next line that is not a host line and has not run yet. */
  private cursor = 0;
  private hostMessages = 0;
  /** Bytes of the client lines run in the current step, written together. */
  private outbox: Buffer[] = [];
  /** Requests the client sent, by id (JSON), to attribute responses to them. */
  private readonly sentRequests = new Map<string, { method: string; params: Json | undefined }>();
  /** Groups of the live host's requests, by live id (JSON), for its `$/cancelRequest`s. */
  private readonly hostRequestGroups = new Map<string, Group>();
  private awaitingExit: Extract<TranscriptLine, { kind: 'exit' }> | undefined;
  private ending = false;
  private exit: HostExit | undefined;
  private timer: { what: string; handle: NodeJS.Timeout } | undefined;
  private settle!: (result: ReplayResult) => void;
  private result: ReplayResult | undefined;

  constructor(
    private readonly transcript: Transcript,
    options: ReplayOptions,
  ) {
    this.expectations = new Expectations(transcript);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.host = new HostChild([...(options.command ?? defaultHostCommand()), ...transcript.hostArgs], { env: options.env });
  }

  run(): Promise<ReplayResult> {
    const done = new Promise<ReplayResult>((resolve) => (this.settle = resolve));
    this.host.stdout.on('data', (bytes: Buffer) => this.splitter.push(bytes).forEach((chunk) => this.onChunk(chunk)));
    void this.host.closed.then((exit) => this.onExit(exit));
    this.advance();
    return done;
  }

  /**
   * Runs every line whose wait is over, then arms the timer for the one that is not. Client lines
   * run together are written in one write, as a fast client would, so the host reads them at once.
   */
  private advance(): void {
    try {
      this.runReadyLines();
    } finally {
      this.flush();
    }
  }

  private runReadyLines(): void {
    while (this.result === undefined && this.awaitingExit === undefined && !this.ending) {
      const next = this.nextAction();
      const blocker = this.expectations.firstUnmatchedBefore(this.cursor);
      if (blocker !== undefined) {
        const before = next === undefined ? 'the end of the transcript' : `sending line ${next.line}`;
        return this.arm(`${where(this.transcript, blocker)} (${this.expectations.groupOfLine(blocker).label}) before ${before}\n${expected(blocker)}`);
      }
      this.disarm();
      if (next === undefined) return this.end();
      this.cursor++;
      this.run1(next);
    }
  }

  /** The next line that is not a host line (the cursor is left on it), or undefined at the end. */
  private nextAction(): Action | undefined {
    for (; this.cursor < this.transcript.lines.length; this.cursor++) {
      const line = this.transcript.lines[this.cursor] as TranscriptLine;
      if (line.kind !== 'host') return line;
    }
    return undefined;
  }

  private run1(line: Action): void {
    switch (line.kind) {
      case 'client':
        return void this.outbox.push(encodeFrame(JSON.stringify(this.prepare(line.message))));
      case 'clientBody':
        return void this.outbox.push(encodeFrame(line.body));
      case 'clientRaw':
        return void this.outbox.push(Buffer.from(line.bytes, 'utf8'));
      case 'eof':
        this.flush();
        return this.host.endInput();
      case 'exit':
        if (this.exit !== undefined) return this.checkExit(line, this.exit);
        this.awaitingExit = line;
        return this.arm(`the host to exit with status ${line.code} (${where(this.transcript, line)})`);
    }
  }

  private flush(): void {
    if (this.outbox.length === 0) return;
    this.host.write(Buffer.concat(this.outbox));
    this.outbox = [];
  }

  /** Refs filled in, a response to a host request given the live id, a request remembered. */
  private prepare(written: Json): Json {
    const message = substitute(written, this.expectations.bindings);
    if (!isObject(message)) return message;
    if (typeof message.method === 'string' && message.id !== undefined) {
      this.sentRequests.set(JSON.stringify(message.id), { method: message.method, params: message.params });
      return message;
    }
    const live = message.method === undefined && message.id !== undefined ? this.expectations.liveHostId(message.id) : undefined;
    return live === undefined ? message : { ...message, id: live };
  }

  private onChunk(chunk: Chunk): void {
    if (this.result !== undefined) return;
    let message: Json;
    try {
      if (chunk.kind === 'garbage') throw new Error('not a Content-Length frame');
      message = JSON.parse(chunk.body.toString('utf8')) as Json;
    } catch (error) {
      return this.fail(`the host wrote bytes that are not a JSON frame (${(error as Error).message}): ${shorten(JSON.stringify(chunk.bytes.toString('utf8')))}`);
    }
    this.hostMessages++;
    const group = groupOf(message, {
      clientRequest: (id) => this.sentRequests.get(JSON.stringify(id)),
      hostRequestGroup: (id) => this.hostRequestGroups.get(JSON.stringify(id)),
    });
    const outcome = this.expectations.accept(message, group);
    if (outcome.kind !== 'matched') return this.fail(describeOutcome(this.transcript, message, outcome));
    if (isObject(message) && typeof message.method === 'string' && message.id !== undefined) this.hostRequestGroups.set(JSON.stringify(message.id), group);
    this.advance();
  }

  private onExit(exit: HostExit): void {
    this.exit = exit;
    if (this.result !== undefined) return this.settle(this.result);
    if (this.awaitingExit !== undefined) {
      const line = this.awaitingExit;
      this.awaitingExit = undefined;
      this.checkExit(line, exit);
      return this.advance();
    }
    if (this.ending) return this.finish({ ok: true, source: this.transcript.source, hostMessages: this.hostMessages });
    this.fail(`the host exited (${describeExit(exit)}) while waiting for ${this.timer?.what ?? 'nothing'}`);
  }

  private checkExit(line: Extract<TranscriptLine, { kind: 'exit' }>, exit: HostExit): void {
    if (exit.code !== line.code) this.fail(`${where(this.transcript, line)}: expected the host to exit with status ${line.code}, but it ${describeExit(exit)}`);
  }

  /** Every line has run and every host line matched: close stdin and expect a quiet exit. */
  private end(): void {
    this.flush();
    if (this.exit !== undefined) return this.finish({ ok: true, source: this.transcript.source, hostMessages: this.hostMessages });
    this.ending = true;
    this.host.endInput();
    this.arm('the host to exit after its stdin was closed at the end of the transcript');
  }

  private arm(what: string): void {
    if (this.timer?.what === what) return;
    this.disarm();
    const handle = setTimeout(() => this.fail(`timed out after ${this.timeoutMs} ms waiting for ${what}`), this.timeoutMs);
    this.timer = { what, handle };
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private fail(report: string): void {
    const tail = this.host.stderrTail.trim();
    this.finish({ ok: false, source: this.transcript.source, report: tail === '' ? report : `${report}\nhost stderr (last lines):\n${tail}` });
  }

  /** Records the result once; it is delivered when the host process is gone. */
  private finish(result: ReplayResult): void {
    if (this.result !== undefined) return;
    this.result = result;
    this.disarm();
    if (this.exit !== undefined) return this.settle(result);
    this.host.kill();
  }
}

function describeExit(exit: HostExit): string {
  if (exit.signal !== null) return `was killed by ${exit.signal}`;
  return exit.code === null ? 'could not be started' : `exited with status ${exit.code}`;
}

/**
 * Records a conversation: sits between a client (on `io.stdin`/`io.stdout`) and a host child,
 * forwarding bytes both ways unchanged, and writes every frame to a transcript with its direction.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { FrameSplitter, type Chunk } from './frames.js';
import { generalizeHostMessage } from './generalize.js';
import { HostChild, type HostExit } from './hostChild.js';
import { isObject, type Json } from './json.js';
import { escapeValue } from './syntax.js';

export interface RecordIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export interface RecordOptions {
  /** The host command line. */
  command: readonly string[];
  /** Appended to the command and written as the transcript's `{"host": {"args": [...]}}` line. */
  hostArgs?: readonly string[];
  /** The transcript file to write. */
  out: string;
  /** Comment lines written at the top (what the transcript shows). */
  comments?: readonly string[];
  /** Apply generalize.ts to every host message. */
  generalize?: boolean;
  env?: NodeJS.ProcessEnv;
}

export async function record(io: RecordIo, options: RecordOptions): Promise<HostExit> {
  const hostArgs = [...(options.hostArgs ?? [])];
  const transcript = createWriteStream(options.out, { encoding: 'utf8' });
  // Fails here (e.g. ENOENT) before any host is started.
  await once(transcript, 'open');
  const writeLine = (line: object | string) => transcript.write(`${typeof line === 'string' ? line : JSON.stringify(line)}\n`);
  for (const comment of options.comments ?? []) writeLine(`// ${comment}`);
  if (hostArgs.length > 0) writeLine({ host: { args: hostArgs } });

  const host = new HostChild([...options.command, ...hostArgs], { env: options.env, stderr: io.stderr });
  const fromClient = new FrameSplitter();
  const fromHost = new FrameSplitter();
  /** Methods of the client's requests by id (JSON): generalizing a response needs to know what it answers. */
  const methods = new Map<string, string>();

  const onClientData = (bytes: Buffer) => {
    host.write(bytes);
    for (const chunk of fromClient.push(bytes)) writeLine(clientLine(chunk, methods));
  };
  const onClientEnd = () => {
    for (const chunk of fromClient.flush()) writeLine(clientLine(chunk, methods));
    writeLine({ eof: true });
    host.endInput();
  };
  io.stdin.on('data', onClientData);
  io.stdin.once('end', onClientEnd);
  host.stdout.on('data', (bytes: Buffer) => {
    io.stdout.write(bytes);
    for (const chunk of fromHost.push(bytes)) writeLine(hostLine(chunk, methods, options.generalize === true));
  });

  const exit = await host.closed;
  io.stdin.removeListener('data', onClientData);
  io.stdin.removeListener('end', onClientEnd);
  io.stdin.pause();
  for (const chunk of fromHost.flush()) writeLine(hostLine(chunk, methods, options.generalize === true));
  writeLine(exit.code !== null ? { exit: exit.code } : `// the host was killed by ${exit.signal ?? 'an unknown cause'}`);
  transcript.end();
  await once(transcript, 'close');
  return exit;
}

function clientLine(chunk: Chunk, methods: Map<string, string>): object {
  if (chunk.kind === 'garbage' || !chunk.canonical) return { c_raw: chunk.bytes.toString('utf8') };
  const body = chunk.body.toString('utf8');
  let message: Json;
  try {
    message = JSON.parse(body) as Json;
  } catch {
    return { c_body: body };
  }
  if (isObject(message) && typeof message.method === 'string' && message.id !== undefined) methods.set(JSON.stringify(message.id), message.method);
  return { c: escapeValue(message) };
}

function hostLine(chunk: Chunk, methods: Map<string, string>, generalize: boolean): object | string {
  let message: Json;
  try {
    if (chunk.kind === 'garbage') throw new Error('not a Content-Length frame');
    message = JSON.parse(chunk.body.toString('utf8')) as Json;
  } catch (error) {
    return `// the host wrote bytes that are not a JSON frame (${(error as Error).message}): ${JSON.stringify(chunk.bytes.toString('utf8'))}`;
  }
  const escaped = escapeValue(message) as Json;
  if (!generalize) return { h: escaped };
  const answered = isObject(message) && message.method === undefined ? methods.get(JSON.stringify(message.id ?? null)) : undefined;
  return { h: generalizeHostMessage(escaped, answered) };
}

/**
 * The far end of the echo_parallel floor: the least a stdio JSON-RPC peer can do. Every frame
 * read is parsed, answered with its params as the result, and the answers to one read leave in
 * one write; no library, no dispatch queue.
 */
import { encodeFrame } from '../../schemas/framing.js';
import { FrameParser } from '../../schemas/frameParser.js';

let answers: Buffer[] = [];
const parser = new FrameParser(Number.MAX_SAFE_INTEGER, {
  frame(body) {
    const request = JSON.parse(body.toString('utf8')) as { id: number; params: unknown };
    const json = JSON.stringify({ jsonrpc: '2.0', id: request.id, result: request.params });
    answers.push(encodeFrame(json, Buffer.byteLength(json)));
  },
  oversize() {},
  fatal(error) {
    throw error;
  },
});
process.stdin.on('data', (chunk: Buffer) => {
  parser.push(chunk);
  if (answers.length === 0) return;
  process.stdout.write(Buffer.concat(answers));
  answers = [];
});

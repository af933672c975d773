/** Replay failures read well, and record/replay round-trip through the command-line functions. */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runRecord, runReplay } from '../../client/transcripts/cli.js';
import { defaultHostCommand } from '../../client/transcripts/hostChild.js';
import { parseTranscript } from '../../client/transcripts/parse.js';
import { replayParsed } from '../../client/transcripts/replay.js';

const INIT = [
  '{"c": {"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"protocolVersion": 1}}}',
  '{"h": {"jsonrpc": "2.0", "id": 1, "result": "$any:value"}}',
];
const frame = (body: unknown) => {
  const text = JSON.stringify(body);
  return `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`;
};

async function replayLines(lines: string[], timeoutMs = 5_000) {
  return replayParsed(parseTranscript(lines.join('\n'), 'inline.jsonl'), { timeoutMs });
}

function collect(stream: PassThrough): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

describe('transcript replay', function () {
  this.timeout(30_000);

  it('reports a mismatch with its line, the path of the first difference and both messages', async () => {
    const result = await replayLines([...INIT, '{"c": {"jsonrpc": "2.0", "id": 2, "method": "session/open", "params": {"sessionId": "s"}}}', '{"h": {"jsonrpc": "2.0", "id": 2, "result": {"sessionId": "t", "limits": "$any:value"}}}']);
    expect(result.ok).to.equal(false);
    const report = (result as { report: string }).report;
    expect(report).to.contain('inline.jsonl:4: the host message (response id 2) does not match');
    expect(report).to.contain('first difference at /result/sessionId: expected "t", got "s"');
    expect(report).to.match(/expected: .*"sessionId":"t"/);
    expect(report).to.match(/actual: {3}.*"sessionId":"s"/);
  });

  it('fails on a host message the transcript does not expect', async () => {
    const open = (id: number) => `{"c": {"jsonrpc": "2.0", "id": ${id}, "method": "session/open", "params": {}}}`;
    const result = await replayLines([...INIT, open(2), open(3), '{"h": {"jsonrpc": "2.0", "id": 3, "result": "$any:value"}}']);
    expect((result as { report: string }).report).to.match(/^unexpected host message \(response id 2\): the transcript expects nothing more there\n {2}actual: {3}{"jsonrpc":"2.0","id":2,/);
  });

  // The awaited message comes first, so the timeout cannot be spent on a slow host start instead.
  it('names what it waited for when a wait times out', async () => {
    const result = await replayLines(['{"h": {"jsonrpc": "2.0", "method": "never/sent"}}', '{"c": {"jsonrpc": "2.0", "method": "exit"}}'], 500);
    expect((result as { report: string }).report).to.match(/^timed out after 500 ms waiting for inline.jsonl:1 \(the connection\) before sending line 2\n {2}expected: {"jsonrpc":"2.0","method":"never\/sent"}/);
  });

  it('checks the exit status', async () => {
    const result = await replayLines([...INIT, '{"c": {"jsonrpc": "2.0", "method": "exit"}}', '{"exit": 0}']);
    expect((result as { report: string }).report).to.contain('inline.jsonl:4: expected the host to exit with status 0, but it exited with status 1');
  });

  it('records a conversation with runRecord and replays it with runReplay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemode-transcript-'));
    try {
      const out = join(dir, 'recorded.jsonl');
      const stdin = new PassThrough();
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      const received = collect(stdout);
      const recording = runRecord(['--out', out, '--generalize', '--host-arg', '--max-sessions', '--host-arg', '3', '--', ...defaultHostCommand()], { stdin, stdout, stderr });
      stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: 1 } }));
      stdin.write(frame({ jsonrpc: '2.0', id: 2, method: 'cell/execute', params: { sessionId: 'none', source: '1' } }));
      while (!received().includes('"id":2')) await new Promise((resolve) => setTimeout(resolve, 20));
      stdin.end();
      expect(await recording).to.equal(0);
      expect(received()).to.match(/^Content-Length: \d+\r\n\r\n{"jsonrpc":"2.0","id":1,"result"/);
      const transcript = readFileSync(out, 'utf8');
      expect(transcript).to.contain('{"host":{"args":["--max-sessions","3"]}}');
      expect(transcript).to.contain('"maxSessions":3');
      expect(transcript).to.contain('"message":"$any:string"');

      const replayOut = new PassThrough();
      const replayErr = new PassThrough();
      const printed = collect(replayOut);
      expect(await runReplay([out], { stdin: new PassThrough(), stdout: replayOut, stderr: replayErr })).to.equal(0);
      expect(printed()).to.equal(`ok ${out} (2 host messages matched)\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 for a malformed transcript or bad arguments, naming the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'codemode-transcript-'));
    try {
      const file = join(dir, 'bad.jsonl');
      writeFileSync(file, '{"c": 1}\n{"h": "$nope:x"}\n');
      const stderr = new PassThrough();
      const errors = collect(stderr);
      const io = { stdin: new PassThrough(), stdout: new PassThrough(), stderr };
      expect(await runReplay([file], io)).to.equal(2);
      expect(await runReplay([], io)).to.equal(2);
      expect(await runRecord(['--out', join(dir, 'x.jsonl')], io)).to.equal(2);
      expect(errors()).to.contain(`${file}:2: unknown matcher "$nope:"`);
      expect(errors()).to.contain('replay needs at least one transcript file');
      expect(errors()).to.contain('record needs the host command after "--"');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

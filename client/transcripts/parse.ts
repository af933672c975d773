/**
 * Parses and validates transcript text. Everything that can be checked without a host is checked
 * here, so a replay only fails for what the host did.
 */
import { TranscriptSyntaxError } from './errors.js';
import { isObject, type Json } from './json.js';
import { checkClientValue, compilePattern, PatternError, type NameUse } from './pattern.js';
import type { Transcript, TranscriptLine } from './transcript.js';

const COMMENT = /^\s*(\/\/|#)/;
const LINE_KEYS = ['c', 'c_body', 'c_raw', 'h', 'eof', 'exit', 'host'] as const;

export function parseTranscript(text: string, source: string): Transcript {
  const transcript: Transcript = { source, hostArgs: [], lines: [] };
  const captured = new Set<string>();
  text.split('\n').forEach((rawLine, index) => {
    const number = index + 1;
    if (rawLine.trim() === '' || COMMENT.test(rawLine)) return;
    const fail = (detail: string): never => {
      throw new TranscriptSyntaxError(source, number, detail);
    };
    let value: unknown;
    try {
      value = JSON.parse(rawLine);
    } catch (error) {
      fail(`not JSON: ${(error as Error).message}`);
    }
    if (!isObject(value)) return fail('a line is a JSON object such as {"c": ...} or {"h": ...}');
    const keys = Object.keys(value);
    const key = keys[0];
    if (keys.length !== 1 || !(LINE_KEYS as readonly string[]).includes(key as string)) {
      fail(`a line has exactly one key, one of ${LINE_KEYS.map((k) => `"${k}"`).join(', ')}; got ${JSON.stringify(keys)}`);
    }
    if (key === 'host') {
      if (transcript.lines.length > 0 || transcript.hostArgs.length > 0) fail('"host" may only be the first line');
      transcript.hostArgs = readHostArgs(value.host, fail);
      return;
    }
    if (key?.startsWith('c') && transcript.lines.some((line) => line.kind === 'eof')) fail('nothing can be sent after {"eof": true}');
    const names: NameUse = { captures: [], refs: [] };
    try {
      transcript.lines.push(readLine(key as Exclude<(typeof LINE_KEYS)[number], 'host'>, value[key as string] as Json, number, names, fail));
    } catch (error) {
      if (error instanceof PatternError) fail(error.message);
      throw error;
    }
    for (const ref of names.refs) if (!captured.has(ref)) fail(`"$ref:${ref}" names no "$capture:${ref}" of an earlier line`);
    for (const name of names.captures) {
      if (captured.has(name)) fail(`"$capture:${name}" is captured twice`);
      captured.add(name);
    }
  });
  return transcript;
}

function readLine(key: 'c' | 'c_body' | 'c_raw' | 'h' | 'eof' | 'exit', value: Json, line: number, names: NameUse, fail: (detail: string) => never): TranscriptLine {
  switch (key) {
    case 'c':
      checkClientValue(value, names);
      return { kind: 'client', line, message: value };
    case 'c_body':
    case 'c_raw':
      if (typeof value !== 'string') fail(`"${key}" takes a string`);
      return key === 'c_body' ? { kind: 'clientBody', line, body: value as string } : { kind: 'clientRaw', line, bytes: value as string };
    case 'h':
      return { kind: 'host', line, raw: value, pattern: compilePattern(value, names) };
    case 'eof':
      if (value !== true) fail('"eof" takes true');
      return { kind: 'eof', line };
    case 'exit':
      if (!Number.isInteger(value)) fail('"exit" takes the expected exit status, an integer');
      return { kind: 'exit', line, code: value as number };
  }
}

function readHostArgs(value: unknown, fail: (detail: string) => never): string[] {
  if (!isObject(value) || Object.keys(value).some((k) => k !== 'args')) fail('"host" takes {"args": [strings]}');
  const args = (value as { args?: unknown }).args ?? [];
  if (!Array.isArray(args) || !args.every((arg) => typeof arg === 'string')) fail('"host.args" is an array of strings');
  return args as string[];
}

/**
 * The host lines still to be matched, and the ordering rule: an arriving message matches the
 * first unmatched host line whose order relative to it is checked (groups.ts); that line must
 * be of the message's group and match it. So order is checked within a group and against the
 * session/close and shutdown barriers, while everything else interleaves freely.
 */
import { groupOf, ordered, sameGroup, type Group, type GroupContext } from './groups.js';
import { isObject, jsonEqual, type Json } from './json.js';
import { matchPattern, type Mismatch } from './match.js';
import type { Pattern } from './pattern.js';
import type { HostLine, Transcript } from './transcript.js';
import { readString } from './syntax.js';
import { viewOf } from './view.js';

export type Outcome =
  | { kind: 'matched'; line: HostLine }
  /** No unmatched host line is ordered with this message. */
  | { kind: 'unexpected'; group: Group }
  /** The first unmatched line ordered with this message belongs to another group (a barrier, or a message a barrier must follow). */
  | { kind: 'early'; group: Group; line: HostLine; lineGroup: Group }
  | { kind: 'mismatch'; group: Group; line: HostLine; mismatch: Mismatch };

export class Expectations {
  private readonly matched = new Set<HostLine>();
  readonly bindings = new Map<string, Json>();
  /** Host request ids as recorded (JSON) → as the live host chose them. */
  private readonly liveHostIds = new Map<string, Json>();

  constructor(private readonly transcript: Transcript) {}

  /** The first unmatched host line before position `end` of the transcript's lines, if any. */
  firstUnmatchedBefore(end: number): HostLine | undefined {
    for (const line of this.transcript.lines.slice(0, end)) if (line.kind === 'host' && !this.matched.has(line)) return line;
    return undefined;
  }

  /** The id the live host gave the request recorded with `recordedId`, if it has been matched. */
  liveHostId(recordedId: Json): Json | undefined {
    return this.liveHostIds.get(JSON.stringify(recordedId));
  }

  accept(message: Json, group: Group): Outcome {
    const candidate = this.transcript.lines.find((line): line is HostLine => line.kind === 'host' && !this.matched.has(line) && ordered(this.groupOfLine(line), group));
    if (candidate === undefined) return { kind: 'unexpected', group };
    const lineGroup = this.groupOfLine(candidate);
    if (!sameGroup(lineGroup, group)) return { kind: 'early', group, line: candidate, lineGroup };
    const { pattern, recordedId } = this.adapt(candidate);
    const result = matchPattern(pattern, message, this.bindings);
    if (!result.ok) return { kind: 'mismatch', group, line: candidate, mismatch: result.mismatch };
    this.matched.add(candidate);
    for (const [name, value] of result.captures) this.bindings.set(name, value);
    if (recordedId !== undefined && isObject(message)) this.liveHostIds.set(JSON.stringify(recordedId), message.id ?? null);
    return { kind: 'matched', line: candidate };
  }

  /** The group a host line will have, judged from the transcript as far as it is known now. */
  groupOfLine(line: HostLine): Group {
    return groupOf(viewOf(line.raw, this.bindings), this.contextAt(this.transcript.lines.indexOf(line)));
  }

  private contextAt(index: number): GroupContext {
    const before = this.transcript.lines.slice(0, index).reverse();
    return {
      clientRequest: (id) => {
        for (const line of before) {
          if (line.kind !== 'client') continue;
          const message = viewOf(line.message, this.bindings);
          if (isObject(message) && typeof message.method === 'string' && message.id !== undefined && jsonEqual(message.id, id)) return { method: message.method, params: message.params };
        }
        return undefined;
      },
      hostRequestGroup: (id) => {
        const request = before.find((line): line is HostLine => line.kind === 'host' && recordedRequestId(line) !== undefined && jsonEqual(recordedRequestId(line), id));
        return request === undefined ? undefined : this.groupOfLine(request);
      },
    };
  }

  /**
   * Host request ids are the host's choice: a recorded literal id matches any live id and is
   * remembered, and a `$/cancelRequest` naming a recorded id expects the live one.
   */
  private adapt(line: HostLine): { pattern: Pattern; recordedId?: Json } {
    const { pattern } = line;
    if (pattern.type !== 'object') return { pattern };
    const recordedId = recordedRequestId(line);
    if (recordedId !== undefined) {
      const entries = new Map(pattern.entries).set('id', { type: 'any', of: 'value' });
      return { pattern: { ...pattern, entries }, recordedId };
    }
    const params = pattern.entries.get('params');
    const id = params?.type === 'object' ? params.entries.get('id') : undefined;
    if (isObject(line.raw) && line.raw.method === '$/cancelRequest' && params?.type === 'object' && id?.type === 'literal') {
      const live = this.liveHostId(id.value);
      if (live === undefined) return { pattern };
      const value = live as null | boolean | number | string;
      const entries = new Map(pattern.entries).set('params', { ...params, entries: new Map(params.entries).set('id', { type: 'literal', value }) });
      return { pattern: { ...pattern, entries } };
    }
    return { pattern };
  }
}

/** The literal id of a host line that is a request (has a method and a number or string id). */
function recordedRequestId(line: HostLine): Json | undefined {
  const { raw } = line;
  if (!isObject(raw) || typeof raw.method !== 'string') return undefined;
  if (typeof raw.id === 'number') return raw.id;
  if (typeof raw.id !== 'string') return undefined;
  const token = readString(raw.id);
  return token.kind === 'literal' ? token.value : undefined;
}

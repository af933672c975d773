/** toolDeclarations: a corpus of real tool schemas declared and compiled by TypeScript; sizes that scale; input validation. */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { InputValidator, type ToolDefinition, toolDeclaration, toolDeclarations, ToolInputError, withDeclarations } from '../../client/index.js';
import { ROOT } from '../cli/cliProcess.js';
import { typeCheck } from './typeCheck.js';

const corpus = (JSON.parse(readFileSync(`${ROOT}/test/fixtures/mcp/toolSchemas.json`, 'utf8')) as { tools: ToolDefinition[] }).tools;

/** A cell (as a script beside the declarations) that uses every tool as its schema allows. */
const GOOD_CELL = `
async function cell() {
  const file = await tools.filesystem__read_text_file({ path: "/tmp/a", head: 3 });
  const content: string = file.content;
  await tools.filesystem__edit_file({ path: "/tmp/a", edits: [{ oldText: "a", newText: "b" }] });
  await tools.github_server__create_issue({ owner: "o", repo: "r", title: "t", body: null, milestone: null, state_reason: "not_planned" });
  await tools.playwright__browser_click({ element: "OK button", ref: "e1", modifiers: ["Shift", "Alt"] });
  await tools.fetch__fetch({ url: "https://example.com" });
  await tools.memory__create_entities({ entities: [{ name: "a", entityType: "t", observations: [], related: [{ name: "b", entityType: "t", observations: ["x"] }] }] });
  const time = await tools.time__convert_time({ source_timezone: "UTC", time: "10:00", target_timezone: "Europe/Paris" });
  const dst: boolean = time.target.is_dst;
  await tools.kv_store__set_value({
    key: "k", "123": true,
    value: { nested: [1, "two", { deeper: [null, false] }] },
    mode: { "ttl-seconds": 5 },
    meta: { owner: "me", extra: "text" },
    headers: { "x-trace": "1" },
    point: [1, 2],
    tags: ["first", 2, 3],
    flags: { a: true, b: false },
    weird: "w",
    self: { key: "inner", value: 1, "123": false },
    "default key": { a: [1, "two", null] },
  });
  await tools.ping();
  await tools.shell("ls -l");
  text(content); text(dst); image({ type: "image", data: "aGk=", mimeType: "image/png" });
  store("k", load("k")); notify("n"); yield_control(); console.log(ALL_TOOLS.map((t) => t.name));
  clearTimeout(setTimeout(() => exit(), 10));
}
void cell;
`;

describe('toolDeclarations', () => {
  it('declares a corpus of real tool schemas as TypeScript that compiles, and a cell using them type-checks', () => {
    const declarations = toolDeclarations(corpus, { detail: 'full' });
    expect(typeCheck({ 'tools.d.ts': declarations, 'cell.ts': GOOD_CELL })).to.deep.equal([]);
  });

  it('rejects calls that break the schemas: missing required, wrong enum, wrong nested type, unknown property', () => {
    const bad = `
async function cell() {
  await tools.filesystem__read_text_file({ head: 3 });
  await tools.playwright__browser_click({ element: "e", ref: "r", button: "double" });
  await tools.memory__create_entities({ entities: [{ name: "a", entityType: "t", observations: [1] }] });
  await tools.filesystem__edit_file({ path: "p", edits: [], dry_run: true });
  await tools.kv_store__set_value({ key: "k", value: 1, "123": true, point: [1] });
}
void cell;
`;
    const diagnostics = typeCheck({ 'tools.d.ts': toolDeclarations(corpus, { detail: 'full' }), 'cell.ts': bad });
    expect(diagnostics.map((d) => d.replace(/ TS\d+ .*/, ''))).to.deep.equal(['cell.ts(3):', 'cell.ts(4):', 'cell.ts(5):', 'cell.ts(6):', 'cell.ts(7):']);
    expect(diagnostics[0]).to.include("Property 'path' is missing");
  });

  it('writes JSDoc from descriptions, quotes names that are not identifiers and cuts recursion safely', () => {
    const text = toolDeclaration(corpus.find((t) => t.name === 'set value')!);
    expect(text).to.include('/** Stores a JSON value under a key. The value may nest without limit. *\\/ A description that tries to end the comment. */');
    expect(text).to.include('kv_store__set_value(input: {');
    expect(text).to.include('"ttl-seconds": number;');
    expect(text).to.include('"default key"?: { readonly a: readonly [1, "two", null] };');
    expect(text).to.include('type kv_store__set_value_input_Json = string | number | boolean | null | kv_store__set_value_input_Json[] | { [key: string]: kv_store__set_value_input_Json };');
    // Weird -> Loop -> Weird: the loop adds nothing, what remains is the two leaves.
    expect(text).to.include('type kv_store__set_value_input_Weird = number | string;');
    expect(text).to.include('self?: kv_store__set_value_input_Root;');
    expect(text).to.include('remote?: unknown;');
  });

  it('is deterministic: the same tools in any order give the same text', () => {
    const forward = toolDeclarations(corpus);
    const backward = toolDeclarations([...corpus].reverse());
    expect(backward).to.equal(forward);
    expect(toolDeclarations(JSON.parse(JSON.stringify(corpus)) as ToolDefinition[])).to.equal(forward);
  });

  it('stays small for hundreds of tools: compact signatures, then names only, the full declaration of each in ALL_TOOLS', () => {
    const copies = (n: number) => Array.from({ length: n }, (_, i) => corpus.map((tool) => ({ ...tool, namespace: `server${i}` }))).flat();
    const many = copies(8);
    const full = toolDeclarations(many, { detail: 'full' });
    const auto = toolDeclarations(many);
    expect(full.length).to.be.above(24_000);
    expect(auto).to.equal(toolDeclarations(many, { detail: 'compact' }));
    expect(auto).to.include('// 80 tools in short.');
    expect(auto.length).to.be.at.most(24_000);
    // One line per tool; a nested input is not spelled out, its top level is.
    expect(auto).to.include(
      '  server3__edit_file(input: { path: string; edits: { [key: string]: unknown }[]; dryRun?: boolean }): Promise<unknown>;',
    );
    const huge = toolDeclarations(copies(300));
    expect(huge).to.equal(toolDeclarations(copies(300), { detail: 'names' }));
    expect(huge).to.include('  /** Make line-based edits to a text file. */\n  server299__edit_file(input?: any): Promise<unknown>;\n');
    expect(huge.length / 3000).to.be.below(120);
    // Short forms leave nested types out: the cell reads only the top level of a result.
    const shallowCell = GOOD_CELL.replace('const dst: boolean = time.target.is_dst;', 'const dst = time.target;');
    for (const detail of ['compact', 'names'] as const) {
      expect(typeCheck({ 'tools.d.ts': toolDeclarations(corpus, { detail }), 'cell.ts': shallowCell }), detail).to.deep.equal([]);
    }
    const described = withDeclarations(corpus);
    const read = described.find((t) => t.name === 'read_text_file')!;
    expect(read.description).to.equal(`${corpus.find((t) => t.name === 'read_text_file')!.description}\n\n${toolDeclaration(corpus.find((t) => t.name === 'read_text_file')!)}`);
  });

  it('small tool sets stay in full under auto', () => {
    expect(toolDeclarations(corpus)).to.equal(toolDeclarations(corpus, { detail: 'full' }));
  });
});

describe('InputValidator', () => {
  const validator = new InputValidator(corpus);

  it('passes valid input and tools without a schema', () => {
    validator.check({ name: 'read_text_file', namespace: 'filesystem' }, { path: '/a' });
    validator.check({ name: 'ping' }, null);
    validator.check({ name: 'set value', namespace: 'kv.store' }, { key: 'k', value: { a: [1] }, 123: true });
  });

  it('throws a ToolInputError naming the tool and the problem', () => {
    const attempt = (tool: { name: string; namespace?: string }, input: unknown) => {
      try {
        validator.check(tool, input);
      } catch (error) {
        expect(error).to.be.instanceOf(ToolInputError);
        return (error as Error).message;
      }
      return 'accepted';
    };
    expect(attempt({ name: 'read_text_file', namespace: 'filesystem' }, { head: 1 })).to.equal("tools.filesystem__read_text_file: input must have required property 'path'");
    expect(attempt({ name: 'read_text_file', namespace: 'filesystem' }, { path: 'p', head: 'x' })).to.equal('tools.filesystem__read_text_file: input /head must be number');
    expect(attempt({ name: 'browser_click', namespace: 'playwright' }, { element: 'e', ref: 'r', button: 'double' })).to.equal(
      'tools.playwright__browser_click: input /button must be equal to one of the allowed values: ["left","right","middle"]',
    );
    expect(attempt({ name: 'edit_file', namespace: 'filesystem' }, { path: 'p', edits: [], dry: 1 })).to.equal(
      'tools.filesystem__edit_file: input must NOT have additional properties ("dry")',
    );
  });
});

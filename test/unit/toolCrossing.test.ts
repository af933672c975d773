/**
 * The sandbox process's half of the tool call crossing, with a stub isolate: the columns of a
 * batch are checked before any call is made, and the answers settled together enter the isolate
 * in one `answer` call. The real crossing is covered by test/sandbox/toolBatching.test.ts.
 */
import { expect } from 'chai';
import { silentLogger } from '../../server/log.js';
import type { CellEvents, ToolOutcome } from '../../server/sandbox/api.js';
import { ToolCrossing } from '../../server/sandbox/toolCrossing.js';

function crossing() {
  const calls: string[] = [];
  const answers: Array<(outcome: ToolOutcome) => void> = [];
  const failures: string[] = [];
  const delivered: unknown[][] = [];
  const events = {
    toolCall(jsName: string, inputJson: string | undefined, answer: (outcome: ToolOutcome) => void) {
      calls.push(`${jsName}:${inputJson}`);
      answers.push(answer);
    },
  } as Partial<CellEvents> as CellEvents;
  const prepared = {
    answer: {
      applyIgnored: (_receiver: undefined, args: unknown[]) => {
        delivered.push(args);
      },
    },
  };
  const tools = new ToolCrossing(prepared as never, events, (error) => failures.push(String(error)), silentLogger);
  return { tools, calls, answers, failures, delivered };
}

describe('ToolCrossing', () => {
  it('makes the calls of a batch in order, inputs absent or not', () => {
    const { tools, calls, failures } = crossing();
    tools.receive([[1, 2, 3], ['a', 'b', 'a'], ['1', undefined, '"x"']]);
    expect(calls).to.deep.equal(['a:1', 'b:undefined', 'a:"x"']);
    expect(failures).to.deep.equal([]);
  });

  const malformed: Array<[string, unknown]> = [
    ['no columns', 'calls'],
    ['two columns', [[1], ['a']]],
    ['a column that is not an array', [[1], 'a', ['1']]],
    ['columns of different lengths', [[1, 2], ['a', 'b'], ['1']]],
    ['an id that is not an integer', [[1, 1.5], ['a', 'b'], ['1', '2']]],
    ['a name that is not a string', [[1, 2], ['a', 2], ['1', '2']]],
    ['an input that is neither text nor absent', [[1, 2], ['a', 'b'], ['1', 2]]],
  ];
  for (const [what, batch] of malformed) {
    it(`ends the cell, making no call, on a batch with ${what}`, () => {
      const { tools, calls, failures } = crossing();
      tools.receive(batch);
      expect(calls).to.deep.equal([]);
      expect(failures).to.deep.equal(['Error: the isolate sent a malformed tool call batch']);
    });
  }

  it('delivers the answers settled together in one call, in settling order, long strings as arguments', async () => {
    const { tools, answers, delivered } = crossing();
    tools.receive([[7, 8, 9], ['a', 'a', 'a'], [undefined, undefined, undefined]]);
    const long = 'z'.repeat(2048);
    answers[2]!({ ok: true, result: { n: 9 } });
    answers[0]!({ ok: false, message: 'no' });
    answers[1]!({ ok: true, result: long });
    expect(delivered).to.deep.equal([]);
    await Promise.resolve();
    expect(delivered).to.deep.equal([[[[9, 7, 8], 'vet', [{ n: 9 }, 'no', 0]], long]]);
  });

  it('drops the answers that arrive once it is closed', async () => {
    const { tools, answers, delivered } = crossing();
    tools.receive([[1], ['a'], [undefined]]);
    tools.close();
    answers[0]!({ ok: true, result: 1 });
    await Promise.resolve();
    expect(delivered).to.deep.equal([]);
  });
});

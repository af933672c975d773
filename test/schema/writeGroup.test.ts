import { expect } from 'chai';
import { WriteGroup } from '../../schemas/writeGroup.js';

describe('WriteGroup', () => {
  it('fails the ids written with a promise that rejects, together and once, and no others', async () => {
    const failed: Array<[readonly number[], unknown]> = [];
    const group = new WriteGroup<number>((ids, error) => failed.push([ids, error]));
    let reject!: (error: Error) => void;
    const turn = new Promise<void>((_resolve, rejectTurn) => (reject = rejectTurn));
    const other = Promise.resolve();
    group.add(turn, 1);
    group.add(turn, 2);
    group.add(other, 3);
    group.add(turn, 4);
    const error = new Error('EPIPE');
    reject(error);
    await turn.catch(() => {});
    await other;
    await new Promise((resolve) => setImmediate(resolve));
    expect(failed).to.deep.equal([[[1, 2], error], [[4], error]]);
  });

  it('starts a new group once a promise settled, even when a writer returns the same one again', async () => {
    const failed: Array<readonly string[]> = [];
    const group = new WriteGroup<string>((ids) => failed.push(ids));
    const done = Promise.resolve();
    group.add(done, 'a');
    await new Promise((resolve) => setImmediate(resolve));
    const failing = Promise.reject(new Error('closed'));
    group.add(failing, 'b');
    group.add(done, 'c');
    group.add(done, 'd');
    await new Promise((resolve) => setImmediate(resolve));
    expect(failed).to.deep.equal([['b']]);
  });
});

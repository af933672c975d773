import { expect } from 'chai';
import { CancelToken } from '../../schemas/cancelToken.js';

describe('CancelToken', () => {
  it('runs each listener once on cancel, in the order added, except those disposed', () => {
    const token = new CancelToken();
    const heard: string[] = [];
    token.onCancellationRequested(() => heard.push('a'));
    const b = token.onCancellationRequested(() => heard.push('b'));
    token.onCancellationRequested(function (this: { name: string }) {
      heard.push(this.name);
    }, { name: 'c' });
    b.dispose();
    expect(token.isCancellationRequested).to.equal(false);
    token.cancel();
    token.cancel();
    expect(token.isCancellationRequested).to.equal(true);
    expect(heard).to.deep.equal(['a', 'c']);
  });

  it('runs a listener added after the cancel on a later macrotask', async () => {
    const token = new CancelToken();
    token.cancel();
    const heard: string[] = [];
    token.onCancellationRequested(() => heard.push('late'));
    expect(heard).to.deep.equal([]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(heard).to.deep.equal(['late']);
  });

  it('is never cancelled once released', () => {
    const token = new CancelToken();
    const heard: string[] = [];
    token.onCancellationRequested(() => heard.push('a'));
    token.release();
    token.cancel();
    token.onCancellationRequested(() => heard.push('b'));
    expect(token.isCancellationRequested).to.equal(false);
    expect(heard).to.deep.equal([]);
  });
});

/** The cell state machine in process, over the stub sandbox of cellHarness.ts; and DelegateChannel. */
import { expect } from 'chai';
import { CancellationTokenSource, ResponseError } from 'vscode-jsonrpc/node';
import type { CellResponse } from '../../schemas/index.js';
import type { RequestSettler } from '../../schemas/rpcDispatcher.js';
import { DelegateChannel } from '../../server/delegate/delegateChannel.js';
import { silentLogger } from '../../server/log.js';
import { harness, tick } from './cellHarness.js';

describe('Cell state machine', () => {
  it('answers overlapping terminates and the observer with one outcome, and closes once', async () => {
    const { cell, run, closed, program, events } = harness();
    const first = await cell.execute(program, 0, undefined, new CancellationTokenSource().token, performance.now());
    expect(first.status).to.equal('yielded');
    events().output([{ type: 'text', text: 'late' }], 0, 0);
    const observing = cell.wait(60_000, undefined, new CancellationTokenSource().token, performance.now());
    const a = cell.terminate(performance.now());
    const b = cell.terminate(performance.now());
    expect(run.terminateCalls).to.equal(1);
    run.exit({ kind: 'terminated' });
    const [ra, rb, ro] = await Promise.all([a, b, observing]);
    for (const response of [ra, rb, ro] as CellResponse[]) {
      expect(response).to.deep.include({ cellId: '1', status: 'terminated', error: null, items: [{ type: 'text', text: 'late' }] });
    }
    await tick();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false }]);
  });

  it('lets a completion that arrives during a terminate win', async () => {
    const { cell, run, closed, program } = harness();
    void cell.execute(program, 0, undefined, new CancellationTokenSource().token, performance.now()).catch(() => {});
    await tick();
    const terminating = cell.terminate(performance.now());
    run.exit({ kind: 'completed', error: null });
    expect((await terminating).status).to.equal('completed');
    await tick();
    expect(closed[0]).to.include({ status: 'completed', resultPending: false });
  });

  it('never runs an execute cancelled before it started', async () => {
    const { cell, run, closed, program } = harness();
    const source = new CancellationTokenSource();
    source.cancel();
    const error = await cell.execute(program, 0, undefined, source.token, performance.now()).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).to.have.property('code', -32800);
    expect((error as { data: unknown }).data).to.deep.equal({ kind: 'RequestCancelled', cellId: '1' });
    expect(run.terminateCalls).to.equal(0);
    await tick();
    expect(closed).to.deep.equal([{ sessionId: 's', cellId: '1', status: 'terminated', resultPending: false }]);
  });
});

describe('DelegateChannel', () => {
  it('fails a call, and frees its slot, when the connection refuses to send', async () => {
    const channel = new DelegateChannel(
      {
        request: () => {
          throw new Error('Connection is closed.');
        },
        cancelRequest: () => {},
      },
      1,
      silentLogger,
    );
    const outcomes: unknown[] = [];
    const settled = new Promise((resolve) => channel.call('delegate/notify', { sessionId: 's', cellId: '1', toolCallId: null, text: 'n' }, resolve));
    // Never before call() returns: a caller registers the call after sending it.
    void settled.then((outcome) => outcomes.push(outcome));
    expect(outcomes).to.deep.equal([]);
    expect(await settled).to.deep.equal({ ok: false, message: 'Connection is closed.' });
    expect(channel.pendingCount).to.equal(0);
  });

  it('settles a call refused for capacity, or answered while it was being sent, only after call() returns', async () => {
    const disposed = {
      request: (_method: string, _params: object | undefined, settler: RequestSettler) => {
        settler.settled(new ResponseError(-32097, 'disposed'), undefined);
        return 0;
      },
      cancelRequest: () => {},
    };
    const channel = new DelegateChannel(disposed, 1, silentLogger);
    const heard: string[] = [];
    const params = { sessionId: 's', cellId: '1', toolCallId: null, text: 'n' };
    channel.call('delegate/notify', params, (outcome) => heard.push(`answered ${JSON.stringify(outcome)}`));
    heard.push('returned');
    await Promise.resolve();
    expect(heard).to.deep.equal(['returned', 'answered {"ok":false,"message":"disposed"}']);
    expect(channel.pendingCount).to.equal(0);

    const full = new DelegateChannel({ request: () => 0, cancelRequest: () => {} }, 1, silentLogger);
    const outcomes: string[] = [];
    full.call('delegate/notify', params, () => outcomes.push('first'));
    full.call('delegate/notify', params, (outcome) => outcomes.push(outcome.ok ? 'ok' : outcome.message));
    outcomes.push('returned');
    await Promise.resolve();
    expect(outcomes).to.deep.equal(['returned', 'the host already has 1 unanswered delegate calls (maxPendingDelegateCalls); this call was not sent']);
  });
});

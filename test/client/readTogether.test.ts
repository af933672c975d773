import { expect } from 'chai';
import { CodeModeClient } from '../../client/index.js';
import { expectGone, fakeHost, RecordingDelegate, StderrLog } from './helpers.js';

/**
 * The client hands every message already read to its dispatcher in one turn, but a response ends
 * the turn: what the host wrote after it (here the cell's cell/closed, in the same write) is
 * handled only after the caller of the request has seen the response.
 */
describe('CodeModeClient reading a response and the next messages together', function () {
  let client: CodeModeClient | undefined;
  let log: StderrLog;

  afterEach(async () => {
    await client?.close();
    client = undefined;
    expectGone(...log.pids);
  });

  function start(delegate: RecordingDelegate): CodeModeClient {
    log = new StderrLog();
    client = new CodeModeClient({ delegate, command: fakeHost('answersWithClose'), onStderr: log.onStderr, closeStepMs: 300 });
    return client;
  }

  /** Runs `source`, recording in `delegate.events` when the caller sees the answer. */
  async function execute(delegate: RecordingDelegate, source: string) {
    const session = await (client as CodeModeClient).openSession();
    const response = await session.execute({ source });
    delegate.events.push(`answer ${response.cellId} ${response.status}`);
    return { session, response };
  }

  it('reports cell/closed after the execute it was read with, for a completed cell', async () => {
    const delegate = new RecordingDelegate();
    start(delegate);
    const { session, response } = await execute(delegate, 'completed');
    expect(response).to.deep.equal({ cellId: '1', status: 'completed', items: [{ type: 'text', text: 'completed' }], error: null, durationMs: 0, pendingToolCalls: [] });
    await session.close();
    expect(delegate.events).to.deep.equal(['answer 1 completed', 'closed 1 completed']);
    expect(delegate.closed).to.deep.equal([{ sessionId: session.id, cellId: '1', status: 'completed' }]);
  });

  it('lets the caller see `yielded` before the cell/closed read with it', async () => {
    const delegate = new RecordingDelegate();
    start(delegate);
    const { session, response } = await execute(delegate, 'yielded');
    expect(response.status).to.equal('yielded');
    await session.close();
    expect(delegate.events).to.deep.equal(['answer 1 yielded', 'closed 1 completed']);
  });

  it('claims a cell first met in its tool calls, and closes it once, after its execute', async () => {
    const delegate = new RecordingDelegate({ add: (input) => (input as { a: number; b: number }).a + (input as { b: number }).b });
    start(delegate);
    const { session, response } = await execute(delegate, 'tools:3');
    expect(response.items).to.deep.equal([1, 2, 3].map((n) => ({ type: 'text', text: JSON.stringify({ result: n }) })));
    const second = await session.execute({ source: 'completed' });
    expect(second.cellId).to.equal('2');
    await session.close();
    expect(delegate.events).to.deep.equal(['tool 1 add', 'tool 1 add', 'tool 1 add', 'answer 1 completed', 'closed 1 completed', 'closed 2 completed']);
  });

  it('answers a burst of 2000 tool calls read together, in call order, and closes the cell once', async function () {
    this.timeout(30_000);
    const delegate = new RecordingDelegate({ add: (input) => (input as { a: number }).a });
    start(delegate);
    const { session, response } = await execute(delegate, 'tools:2000');
    expect(response.items.map((item) => (item.type === 'text' ? JSON.parse(item.text) : item))).to.deep.equal(
      Array.from({ length: 2000 }, (_, i) => ({ result: i })),
    );
    await session.close();
    expect(delegate.events.slice(2000)).to.deep.equal(['answer 1 completed', 'closed 1 completed']);
    expect(delegate.calls.map((call) => call.callId)).to.deep.equal(Array.from({ length: 2000 }, (_, i) => `call-${i}`));
  });
});

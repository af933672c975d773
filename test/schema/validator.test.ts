import { expect } from 'chai';
import {
  DEFAULT_SESSION_LIMITS,
  Methods,
  validateParams,
  validateResult,
  type CellResponse,
  type SessionOpenParams,
} from '../../schemas/index.js';

const completed: CellResponse = {
  cellId: '1',
  status: 'completed',
  items: [
    { type: 'text', text: '35' },
    { type: 'image', imageUrl: 'data:image/png;base64,AA==', detail: 'original' },
  ],
  error: null,
  durationMs: 0.9,
  pendingToolCalls: [],
};

describe('validateParams', () => {
  it('returns the params, typed by method', () => {
    const params = { sessionId: 's1', limits: { heapLimitMb: 64 } };
    const result = validateParams(Methods.sessionOpen, params);
    if (!result.ok) expect.fail(JSON.stringify(result.errors));
    const typed: SessionOpenParams = result.value;
    expect(typed).to.equal(params);
  });

  it('checks absent and null params as {}, and returns {}', () => {
    for (const params of [undefined, null, {}]) {
      expect(validateParams(Methods.shutdown, params)).to.deep.equal({ ok: true, value: {} });
      expect(validateParams(Methods.sessionOpen, params)).to.deep.equal({ ok: true, value: {} });
    }
  });

  it('reports an unknown method apart from bad params', () => {
    expect(validateParams('session/create', {})).to.deep.equal({
      ok: false,
      unknownMethod: true,
      errors: [{ path: '', message: 'unknown method "session/create"' }],
    });
  });

  it('names the missing key, the unknown key or the bad value in the path', () => {
    expect(validateParams(Methods.cellWait, { sessionId: 's1' })).to.deep.equal({
      ok: false,
      unknownMethod: false,
      errors: [{ path: '/cellId', message: 'is required' }],
    });
    expect(validateParams(Methods.sessionOpen, { limits: { maxCells: 1 } })).to.deep.include({
      errors: [{ path: '/limits/maxCells', message: 'is not allowed: unknown key' }],
    });
    expect(validateParams(Methods.sessionOpen, { limits: { heapLimitMb: 4 } })).to.deep.include({
      errors: [{ path: '/limits/heapLimitMb', message: 'must be >= 8' }],
    });
  });

  it('escapes keys in the path as JSON Pointer does', () => {
    expect(validateParams(Methods.sessionClose, { sessionId: 's1', 'a/b~c': 1 })).to.deep.include({
      errors: [{ path: '/a~1b~0c', message: 'is not allowed: unknown key' }],
    });
  });

  it('phrases type, enum and length errors for people', () => {
    const messageOf = (method: string, params: unknown) => {
      const result = validateParams(method, params);
      return result.ok ? undefined : result.errors[0]?.message;
    };
    expect(messageOf(Methods.sessionOpen, { limits: { wallTimeLimitMs: '1' } })).to.equal('must be integer or null');
    expect(messageOf(Methods.cellExecute, { sessionId: 's', source: '', language: 'py' })).to.equal(
      'must be one of "javascript", "typescript"',
    );
    expect(messageOf(Methods.cellWait, { sessionId: 's', cellId: '' })).to.equal('must not be empty');
    expect(messageOf(Methods.cellWait, { sessionId: 's', cellId: 'x'.repeat(65) })).to.equal(
      'must be at most 64 characters long',
    );
  });

  it('stops at the first error, however many there are', () => {
    const tools = Array.from({ length: 1000 }, () => ({ name: '' }));
    const result = validateParams(Methods.cellExecute, { sessionId: 's', source: '', tools });
    expect(result).to.deep.include({ errors: [{ path: '/tools/0/name', message: 'must not be empty' }] });
  });
});

describe('validateResult', () => {
  it('accepts a CellResponse for execute, wait and terminate', () => {
    for (const method of [Methods.cellExecute, Methods.cellWait, Methods.cellTerminate]) {
      expect(validateResult(method, completed), method).to.deep.equal({ ok: true, value: completed });
    }
    const missing = { ...completed, status: 'missing', items: [], error: 'cell 9 not found', cellId: '9' };
    expect(validateResult(Methods.cellWait, missing)).to.deep.include({ ok: true });
  });

  it('requires every CellResponse field', () => {
    const { pendingToolCalls: _dropped, ...partial } = completed;
    expect(validateResult(Methods.cellWait, partial)).to.deep.include({
      errors: [{ path: '/pendingToolCalls', message: 'is required' }],
    });
    expect(validateResult(Methods.cellWait, { ...completed, durationMs: -1 })).to.deep.include({
      errors: [{ path: '/durationMs', message: 'must be >= 0' }],
    });
  });

  it('checks results as they are: null is not absent', () => {
    expect(validateResult(Methods.shutdown, null)).to.deep.equal({ ok: true, value: null });
    expect(validateResult(Methods.shutdown, {})).to.deep.include({ errors: [{ path: '', message: 'must be null' }] });
    expect(validateResult(Methods.sessionClose, null)).to.deep.include({ errors: [{ path: '', message: 'must be object' }] });
  });

  it('takes any tool result, null included, but requires the key', () => {
    for (const result of [null, 0, 'x', [1], { a: 1 }]) {
      expect(validateResult(Methods.delegateInvokeTool, { result })).to.deep.include({ ok: true });
    }
    expect(validateResult(Methods.delegateInvokeTool, {})).to.deep.include({
      errors: [{ path: '/result', message: 'is required' }],
    });
    expect(validateResult(Methods.delegateNotify, 'anything')).to.deep.include({ ok: true });
  });

  it('requires every effective limit in the session/open result', () => {
    expect(validateResult(Methods.sessionOpen, { sessionId: 's1', limits: DEFAULT_SESSION_LIMITS })).to.deep.include({
      ok: true,
    });
    const { heapLimitMb: _dropped, ...partial } = DEFAULT_SESSION_LIMITS;
    expect(validateResult(Methods.sessionOpen, { sessionId: 's1', limits: partial })).to.deep.include({
      errors: [{ path: '/limits/heapLimitMb', message: 'is required' }],
    });
  });

  it('says that a notification has no result, like an unknown method', () => {
    expect(validateResult(Methods.cellClosed, {})).to.deep.equal({
      ok: false,
      unknownMethod: true,
      errors: [{ path: '', message: '"cell/closed" is a notification: it has no result' }],
    });
    expect(validateResult('cell/run', {})).to.deep.include({ unknownMethod: true });
  });

  it('checks the protocol version the host reports', () => {
    const result = validateResult(Methods.initialize, { protocolVersion: 2 });
    expect(result).to.deep.include({ errors: [{ path: '/serverInfo', message: 'is required' }] });
  });
});

import { expect } from 'chai';
import {
  DEFAULT_HOST_LIMITS,
  DEFAULT_SESSION_LIMITS,
  DEFAULT_YIELD_TIME_MS,
  effectiveSessionLimits,
  HOST_LIMIT_BOUNDS,
  SESSION_LIMIT_BOUNDS,
  validateResult,
  YIELD_TIME_MS_BOUNDS,
  type LimitBounds,
} from '../../schemas/index.js';
import { readJson, type SchemaDoc } from './repo.js';

const defs = (readJson('schemas/defs.json') as SchemaDoc).$defs as Record<string, SchemaDoc>;
const propertiesOf = (def: string) => (defs[def] as SchemaDoc).properties as Record<string, SchemaDoc>;

/** The schema of a limit says what limits.ts says: bounds, default, and null only for "no limit". */
function expectInSync(schema: SchemaDoc | undefined, bounds: LimitBounds, defaultValue: number | null, name: string) {
  expect(schema, name).to.not.equal(undefined);
  expect(schema?.minimum, `${name} minimum`).to.equal(bounds.min);
  expect(schema?.maximum, `${name} maximum`).to.equal(bounds.max);
  expect(schema?.default, `${name} default`).to.equal(defaultValue);
  expect(schema?.type, `${name} type`).to.deep.equal(defaultValue === null ? ['integer', 'null'] : 'integer');
}

describe('Limits', () => {
  it('SessionLimits in defs.json matches limits.ts', () => {
    const properties = propertiesOf('SessionLimits');
    expect(Object.keys(properties)).to.deep.equal(Object.keys(SESSION_LIMIT_BOUNDS));
    expect(Object.keys(DEFAULT_SESSION_LIMITS)).to.deep.equal(Object.keys(SESSION_LIMIT_BOUNDS));
    for (const [name, bounds] of Object.entries(SESSION_LIMIT_BOUNDS)) {
      expectInSync(properties[name], bounds, DEFAULT_SESSION_LIMITS[name as keyof typeof DEFAULT_SESSION_LIMITS], name);
    }
  });

  it('EffectiveSessionLimits requires every SessionLimits field', () => {
    const effective = defs.EffectiveSessionLimits as SchemaDoc;
    expect(effective.required).to.deep.equal(Object.keys(SESSION_LIMIT_BOUNDS));
    expect(Object.keys(effective.properties as SchemaDoc)).to.deep.equal(Object.keys(SESSION_LIMIT_BOUNDS));
  });

  it('HostLimits in defs.json matches limits.ts', () => {
    const properties = propertiesOf('HostLimits');
    expect(Object.keys(properties)).to.deep.equal([...Object.keys(HOST_LIMIT_BOUNDS), 'sessionDefaults']);
    for (const [name, bounds] of Object.entries(HOST_LIMIT_BOUNDS)) {
      expectInSync(properties[name], bounds, DEFAULT_HOST_LIMITS[name as keyof typeof HOST_LIMIT_BOUNDS], name);
    }
  });

  it('YieldTimeMs in defs.json matches limits.ts', () => {
    expectInSync(defs.YieldTimeMs, YIELD_TIME_MS_BOUNDS, DEFAULT_YIELD_TIME_MS, 'yieldTimeMs');
  });

  it('every default lies within its bounds and satisfies the schema', () => {
    const result = validateResult('initialize', {
      protocolVersion: 1,
      serverInfo: { name: 'codemode-host', version: '0.0.0' },
      capabilities: { languages: ['javascript', 'typescript'], cellOutput: true, cellYield: true },
      limits: DEFAULT_HOST_LIMITS,
    });
    expect(result).to.deep.include({ ok: true });
  });

  describe('effectiveSessionLimits', () => {
    it('fills every omitted limit with the default', () => {
      expect(effectiveSessionLimits(DEFAULT_SESSION_LIMITS)).to.deep.equal(DEFAULT_SESSION_LIMITS);
      expect(effectiveSessionLimits(DEFAULT_SESSION_LIMITS, { heapLimitMb: 64 })).to.deep.equal({
        ...DEFAULT_SESSION_LIMITS,
        heapLimitMb: 64,
      });
    });

    it('takes a requested null as "no limit", not as omitted', () => {
      const defaults = { ...DEFAULT_SESSION_LIMITS, wallTimeLimitMs: 5000, maxYieldTimeMs: 1000 };
      expect(effectiveSessionLimits(defaults, { wallTimeLimitMs: null })).to.deep.equal({ ...defaults, wallTimeLimitMs: null });
      expect(effectiveSessionLimits(defaults, { maxYieldTimeMs: undefined })).to.deep.equal(defaults);
    });

    it('returns a new object holding only the limits', () => {
      const requested = { maxStoredBytes: 0, extra: 1 } as Parameters<typeof effectiveSessionLimits>[1];
      const effective = effectiveSessionLimits(DEFAULT_SESSION_LIMITS, requested);
      expect(effective).to.not.equal(DEFAULT_SESSION_LIMITS);
      expect(Object.keys(effective)).to.deep.equal(Object.keys(DEFAULT_SESSION_LIMITS));
      expect(effective.maxStoredBytes).to.equal(0);
    });
  });
});

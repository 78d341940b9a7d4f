import { MAX_REQUEST_DEPTH, unacceptableRequestPart } from './request-validation.error';

/** `levels` arrays nested inside one another, built without recursion. */
function nestedArrays(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i += 1) value = [value];
  return value;
}

describe('unacceptableRequestPart', () => {
  it('accepts what real requests look like, including any other text', () => {
    const submission = { value: '12.5', monthlyValues: [{ month: '2026-04', value: '4' }], commentary: 'Ünïcode ✓ 🙂 tab\there \u0001' };
    expect(unacceptableRequestPart(submission)).toBeUndefined();
    expect(unacceptableRequestPart('ASC-01')).toBeUndefined();
    expect(unacceptableRequestPart(null)).toBeUndefined();
    expect(unacceptableRequestPart(undefined)).toBeUndefined();
  });

  describe('depth', () => {
    it('counts the body as the first level, so exactly the limit passes and one more does not', () => {
      expect(unacceptableRequestPart({ a: nestedArrays(2) }, 3)).toBeUndefined();
      expect(unacceptableRequestPart({ a: nestedArrays(3) }, 3)).toEqual({ field: 'a', message: 'nests deeper than 3 levels' });
      expect(unacceptableRequestPart(nestedArrays(3), 3)).toBeUndefined();
      expect(unacceptableRequestPart(nestedArrays(4), 3)?.field).toBe('body[0]');
    });

    it('names the top-level field the deep part hangs from', () => {
      expect(unacceptableRequestPart({ value: '1', monthlyValues: [{ month: nestedArrays(40) }] })).toEqual({
        field: 'monthlyValues',
        message: `nests deeper than ${MAX_REQUEST_DEPTH} levels`,
      });
    });

    it('walks a hundred thousand levels without exhausting the stack', () => {
      expect(unacceptableRequestPart({ a: nestedArrays(100_000) })?.field).toBe('a');
    });
  });

  describe('text PostgreSQL cannot keep as sent', () => {
    it('refuses the NUL character anywhere, naming the path', () => {
      expect(unacceptableRequestPart({ commentary: 'a\u0000b' })).toEqual({ field: 'commentary', message: 'must not contain the NUL character (U+0000)' });
      expect(unacceptableRequestPart({ monthlyValues: [{ month: '2026-04', value: '\u0000' }] })?.field).toBe('monthlyValues[0].value');
      expect(unacceptableRequestPart(['ok', 'n\u0000'])?.field).toBe('body[1]');
      expect(unacceptableRequestPart('ENV\u0000-01')?.field).toBe('body');
    });

    it('refuses lone surrogates but not surrogate pairs', () => {
      expect(unacceptableRequestPart({ name: 'Lone \ud800 high' })).toEqual({ field: 'name', message: 'must be valid Unicode (it holds a lone surrogate)' });
      expect(unacceptableRequestPart({ name: 'lone low \udfff' })?.field).toBe('name');
      expect(unacceptableRequestPart({ name: 'trailing high \ud83d' })?.field).toBe('name');
      expect(unacceptableRequestPart({ name: 'pair \ud83d\ude42 fine' })).toBeUndefined();
    });

    it('refuses such a property name, naming the object that holds it', () => {
      expect(unacceptableRequestPart({ kpi: { ['ti\u0000tle']: 'x' } })).toEqual({
        field: 'kpi',
        message: 'has a property name holding the NUL character or a lone surrogate',
      });
      expect(unacceptableRequestPart({ ['\ud800']: 'x' })?.field).toBe('body');
    });
  });
});

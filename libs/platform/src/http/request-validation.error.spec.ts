import { fieldNestedDeeperThan, MAX_REQUEST_DEPTH } from './request-validation.error';

/** `levels` arrays nested inside one another, built without recursion. */
function nestedArrays(levels: number): unknown {
  let value: unknown = [];
  for (let i = 1; i < levels; i += 1) value = [value];
  return value;
}

describe('fieldNestedDeeperThan', () => {
  it('accepts what real requests look like', () => {
    const submission = { value: '12.5', monthlyValues: [{ month: '2026-04', value: '4' }], commentary: 'x' };
    expect(fieldNestedDeeperThan(submission, MAX_REQUEST_DEPTH)).toBeUndefined();
    expect(fieldNestedDeeperThan('text', MAX_REQUEST_DEPTH)).toBeUndefined();
    expect(fieldNestedDeeperThan(null, MAX_REQUEST_DEPTH)).toBeUndefined();
  });

  it('counts the body as the first level, so exactly the limit passes and one more does not', () => {
    expect(fieldNestedDeeperThan({ a: nestedArrays(2) }, 3)).toBeUndefined();
    expect(fieldNestedDeeperThan({ a: nestedArrays(3) }, 3)).toBe('a');
    expect(fieldNestedDeeperThan(nestedArrays(3), 3)).toBeUndefined();
    expect(fieldNestedDeeperThan(nestedArrays(4), 3)).toBe('body[0]');
  });

  it('names the top-level field the deep part hangs from', () => {
    expect(fieldNestedDeeperThan({ value: '1', monthlyValues: [{ month: nestedArrays(40) }] }, MAX_REQUEST_DEPTH)).toBe('monthlyValues');
  });

  it('walks a hundred thousand levels without exhausting the stack', () => {
    expect(fieldNestedDeeperThan({ a: nestedArrays(100_000) }, MAX_REQUEST_DEPTH)).toBe('a');
  });
});

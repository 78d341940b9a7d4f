import { sameJsonValue } from './same-json-value';

describe('sameJsonValue', () => {
  it('holds objects equal whatever order their keys are in, at every depth', () => {
    const written = { kind: 'thresholds', green: '45.0', amber: '40.0', bands: [{ from: '1', to: '2' }] };
    const readBack = JSON.parse('{"amber":"40.0","bands":[{"to":"2","from":"1"}],"green":"45.0","kind":"thresholds"}') as unknown;
    expect(JSON.stringify(written)).not.toBe(JSON.stringify(readBack));
    expect(sameJsonValue(written, readBack)).toBe(true);
  });

  it('leaves out undefined members, as JSON does, and writes an undefined item as null', () => {
    expect(sameJsonValue({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameJsonValue([undefined], [null])).toBe(true);
    expect(sameJsonValue(undefined, undefined)).toBe(true);
  });

  it('tells apart any difference of value, member or item', () => {
    const base = { a: '1.0', b: ['x', 'y'], c: { d: null } };
    const others: unknown[] = [
      { a: '1.00', b: ['x', 'y'], c: { d: null } },
      { a: '1.0', b: ['y', 'x'], c: { d: null } },
      { a: '1.0', b: ['x', 'y'], c: { d: false } },
      { a: '1.0', b: ['x', 'y'], c: {} },
      { a: '1.0', b: ['x', 'y'], c: { d: null }, e: 0 },
      { a: '1.0', b: ['x', 'y', 'z'], c: { d: null } },
      { a: '1.0', b: { 0: 'x', 1: 'y' }, c: { d: null } },
      [base],
      null,
      '1.0',
    ];
    for (const other of others) {
      expect(sameJsonValue(base, other)).toBe(false);
      expect(sameJsonValue(other, base)).toBe(false);
    }
    expect(sameJsonValue(1, '1')).toBe(false);
    expect(sameJsonValue(new Date('2026-11-30T00:00:00Z'), '2026-11-30T00:00:00.000Z')).toBe(true);
  });
});

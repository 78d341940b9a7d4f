import { InvalidInstantError, toBigInt, toInstant } from './column-values';

describe('column values', () => {
  it('normalises instants so that they sort as text', () => {
    expect(toInstant('2024-10-01T09:00:00Z')).toBe('2024-10-01T09:00:00.000Z');
    expect(toInstant('2024-10-01T10:00:00+01:00')).toBe('2024-10-01T09:00:00.000Z');
    expect(toInstant('2024-10-01T09:00:00.5Z') > toInstant('2024-10-01T09:00:00Z')).toBe(true);
  });

  it('refuses what is not an instant', () => {
    expect(() => toInstant('yesterday')).toThrow(InvalidInstantError);
  });

  it('reads 64-bit integers from either driver without loss', () => {
    expect(toBigInt('9007199254740993')).toBe(9007199254740993n);
    expect(toBigInt(9007199254740993n)).toBe(9007199254740993n);
    expect(toBigInt(42)).toBe(42n);
  });
});

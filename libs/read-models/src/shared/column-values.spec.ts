import { InvalidInstantError, toBigInt, toInstant } from './column-values';

describe('column values', () => {
  it('normalises instants so that they sort as text', () => {
    expect(toInstant('2024-10-01T09:00:00Z')).toBe('2024-10-01T09:00:00.000Z');
    expect(toInstant('2024-10-01T10:00:00+01:00')).toBe('2024-10-01T09:00:00.000Z');
    expect(toInstant('2024-10-01T09:00:00.5Z') > toInstant('2024-10-01T09:00:00Z')).toBe(true);
  });

  it('refuses what is not an instant', () => {
    expect(() => toInstant('yesterday')).toThrow(InvalidInstantError);
    expect(() => toInstant('yesterday')).toThrow(InvalidInstantError);
  });

  it('gives the same instant for a text seen again, past the bound of the texts it remembers', () => {
    const texts = Array.from({ length: 25_000 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 61_000).toISOString().replace('.000Z', '+00:00'));
    const first = texts.map(toInstant);
    expect(first[0]).toBe('2024-01-01T00:00:00.000Z');
    expect(texts.map(toInstant)).toEqual(first);
    expect(first.map((instant) => new Date(instant).getTime())).toEqual(texts.map((text) => new Date(text).getTime()));
  });

  it('reads 64-bit integers from either driver without loss', () => {
    expect(toBigInt('9007199254740993')).toBe(9007199254740993n);
    expect(toBigInt(9007199254740993n)).toBe(9007199254740993n);
    expect(toBigInt(42)).toBe(42n);
  });
});

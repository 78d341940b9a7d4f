import { atLocalTime, InvalidLocalTimeError, localDateOf } from './local-time';

describe('atLocalTime in Europe/London', () => {
  it('reads 09:00 in summer as 08:00 UTC (BST)', () => {
    expect(atLocalTime('2025-07-01', '09:00').toISOString()).toBe('2025-07-01T08:00:00.000Z');
  });

  it('reads 09:00 in winter as 09:00 UTC (GMT)', () => {
    expect(atLocalTime('2025-01-15', '09:00').toISOString()).toBe('2025-01-15T09:00:00.000Z');
  });

  it('switches offset on the spring changeover day (30 March 2025)', () => {
    expect(atLocalTime('2025-03-29', '09:00').toISOString()).toBe('2025-03-29T09:00:00.000Z');
    expect(atLocalTime('2025-03-30', '09:00').toISOString()).toBe('2025-03-30T08:00:00.000Z');
  });

  it('switches back on the autumn changeover day (26 October 2025)', () => {
    expect(atLocalTime('2025-10-25', '09:00').toISOString()).toBe('2025-10-25T08:00:00.000Z');
    expect(atLocalTime('2025-10-26', '09:00').toISOString()).toBe('2025-10-26T09:00:00.000Z');
  });

  it('handles the 2024 and 2026 changeovers', () => {
    expect(atLocalTime('2024-03-31', '09:00').toISOString()).toBe('2024-03-31T08:00:00.000Z');
    expect(atLocalTime('2024-10-27', '09:00').toISOString()).toBe('2024-10-27T09:00:00.000Z');
    expect(atLocalTime('2026-03-29', '09:00').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(atLocalTime('2026-10-25', '09:00').toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('resolves a time skipped by the spring change to just after the jump', () => {
    // 01:30 on 30 March 2025 never appears on a London clock; 01:30 GMT is 02:30 BST.
    expect(atLocalTime('2025-03-30', '01:30').toISOString()).toBe('2025-03-30T01:30:00.000Z');
  });

  it('resolves a time that happens twice in autumn to its first occurrence (BST)', () => {
    expect(atLocalTime('2025-10-26', '01:30').toISOString()).toBe('2025-10-26T00:30:00.000Z');
  });

  it('rejects malformed times', () => {
    expect(() => atLocalTime('2025-07-01', '9am')).toThrow(InvalidLocalTimeError);
    expect(() => atLocalTime('2025-07-01', '24:00')).toThrow(InvalidLocalTimeError);
  });
});

describe('localDateOf', () => {
  it('gives the London date of a late-evening UTC instant in summer', () => {
    expect(localDateOf('2025-06-30T23:30:00Z')).toBe('2025-07-01');
  });

  it('gives the same date as UTC in winter', () => {
    expect(localDateOf(new Date('2025-12-31T23:30:00Z'))).toBe('2025-12-31');
  });

  it('round-trips with atLocalTime', () => {
    expect(localDateOf(atLocalTime('2025-03-30', '00:30'))).toBe('2025-03-30');
    expect(localDateOf(atLocalTime('2025-10-26', '23:59'))).toBe('2025-10-26');
  });
});

import { ValidationError } from '@quarterly/domain';
import { asAtControlValue, asAtInWords, parseAsAt } from './as-at-instant';

const NOW = new Date('2026-12-01T09:30:00Z');

describe('an "as at" from a page or a link', () => {
  it('reads a London wall-clock time to the minute as the end of that minute, as pages show times to the minute', () => {
    // 9 October is in British Summer Time: 11:00 in London is 10:00 UTC.
    expect(parseAsAt('2026-10-09T11:00', 'asAt', NOW)).toBe('2026-10-09T10:00:59.999Z');
    expect(parseAsAt('2026-10-09T11:00:30', 'asAt', NOW)).toBe('2026-10-09T10:00:30.999Z');
    // In winter London is on UTC.
    expect(parseAsAt('2026-11-30T16:45', 'asAt', NOW)).toBe('2026-11-30T16:45:59.999Z');
  });

  it('takes an ISO 8601 instant exactly, as the links the pages write carry it', () => {
    expect(parseAsAt('2026-10-09T10:00:00.123Z', 'asAt', NOW)).toBe('2026-10-09T10:00:00.123Z');
    expect(parseAsAt('2026-10-09T11:00:00+01:00', 'since', NOW)).toBe('2026-10-09T10:00:00.000Z');
  });

  it('refuses, naming the field, what is not a date and time, or is in the future', () => {
    for (const text of ['yesterday', '31/10/2026', '2026-02-30T10:00', '2026-10-09', '2026-10-09T25:00']) {
      expect(() => parseAsAt(text, 'asAt', NOW)).toThrow(ValidationError);
    }
    expect(() => parseAsAt('2030-01-01T00:00', 'since', NOW)).toThrow(expect.objectContaining({ field: 'since', reason: expect.stringContaining('must not be in the future') }));
    // The current minute (another machine's clock a little ahead) is not the future.
    expect(parseAsAt('2026-12-01T09:30', 'asAt', NOW)).toBe('2026-12-01T09:30:59.999Z');
  });

  it('writes an instant back as London’s wall clock, in words and for the control', () => {
    expect(asAtInWords('2026-10-09T10:00:59.999Z')).toBe('9 October 2026 at 11:00');
    expect(asAtControlValue('2026-10-09T10:00:59.999Z')).toBe('2026-10-09T11:00');
  });
});

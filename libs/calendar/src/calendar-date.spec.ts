import fc from 'fast-check';
import { addCalendarDays, InvalidCalendarDateError, isCalendarDate, isoWeekday, toDayNumber } from './calendar-date';

describe('calendar dates', () => {
  it('agrees with the JavaScript Date for every day from 1900 to 2200', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1900, 0, 1) / 86_400_000, max: Date.UTC(2200, 11, 31) / 86_400_000 }), (day) => {
        const date = new Date(day * 86_400_000);
        const iso = date.toISOString().slice(0, 10);
        expect(toDayNumber(iso)).toBe(day);
        expect(addCalendarDays(iso, 1)).toBe(new Date((day + 1) * 86_400_000).toISOString().slice(0, 10));
        expect(isoWeekday(iso)).toBe(date.getUTCDay() === 0 ? 7 : date.getUTCDay());
      }),
    );
  });

  it('rejects dates that do not exist', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2025-02-29')).toBe(false);
    expect(isCalendarDate('1900-02-29')).toBe(false);
    expect(isCalendarDate('2000-02-29')).toBe(true);
    expect(isCalendarDate('2025-04-31')).toBe(false);
    expect(isCalendarDate('2025-13-01')).toBe(false);
    expect(() => toDayNumber('2025-00-10')).toThrow(InvalidCalendarDateError);
  });
});

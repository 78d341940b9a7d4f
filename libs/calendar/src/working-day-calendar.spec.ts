import fc from 'fast-check';
import { EnglandAndWalesCalendar } from './working-day-calendar';
import { InvalidCalendarDateError } from './calendar-date';

const calendar = new EnglandAndWalesCalendar();

describe('EnglandAndWalesCalendar', () => {
  describe('bank holidays', () => {
    it.each([
      ['2024-03-29', 'Good Friday 2024'],
      ['2024-04-01', 'Easter Monday 2024'],
      ['2024-05-06', 'early May 2024'],
      ['2024-05-27', 'spring 2024'],
      ['2024-08-26', 'summer 2024'],
      ['2024-12-25', 'Christmas Day 2024'],
      ['2024-12-26', 'Boxing Day 2024'],
      ['2025-01-01', "New Year's Day 2025"],
      ['2025-04-18', 'Good Friday 2025'],
      ['2025-04-21', 'Easter Monday 2025'],
      ['2025-05-05', 'early May 2025'],
      ['2025-05-26', 'spring 2025'],
      ['2025-08-25', 'summer 2025'],
      ['2025-12-25', 'Christmas Day 2025'],
      ['2025-12-26', 'Boxing Day 2025'],
      ['2026-04-03', 'Good Friday 2026'],
      ['2026-04-06', 'Easter Monday 2026'],
      ['2026-05-04', 'early May 2026'],
      ['2026-05-25', 'spring 2026'],
      ['2026-08-31', 'summer 2026'],
      ['2026-12-25', 'Christmas Day 2026'],
      ['2026-12-28', 'Boxing Day substitute 2026 (26th is a Saturday)'],
    ])('treats %s (%s) as a non-working day', (date) => {
      expect(calendar.isWorkingDay(date)).toBe(false);
    });

    it('lists exactly the eight England and Wales bank holidays of 2025', () => {
      expect(calendar.bankHolidaysIn(2025)).toEqual([
        '2025-01-01',
        '2025-04-18',
        '2025-04-21',
        '2025-05-05',
        '2025-05-26',
        '2025-08-25',
        '2025-12-25',
        '2025-12-26',
      ]);
    });

    it('does not treat observances as days off', () => {
      // Mother's Day and Easter Sunday are observances (and Sundays); neither is listed.
      expect(calendar.bankHolidaysIn(2025)).not.toContain('2025-03-30');
      expect(calendar.bankHolidaysIn(2025)).not.toContain('2025-04-20');
    });

    it('treats weekdays around the holidays as working days', () => {
      expect(calendar.isWorkingDay('2026-12-24')).toBe(true);
      expect(calendar.isWorkingDay('2026-12-29')).toBe(true);
      expect(calendar.isWorkingDay('2025-04-17')).toBe(true);
      expect(calendar.isWorkingDay('2025-04-22')).toBe(true);
    });

    it('treats Saturdays and Sundays as non-working days', () => {
      expect(calendar.isWorkingDay('2025-10-11')).toBe(false);
      expect(calendar.isWorkingDay('2025-10-12')).toBe(false);
      expect(calendar.isWorkingDay('2025-10-13')).toBe(true);
    });

    it('honours a council’s extra closure days', () => {
      const closing = new EnglandAndWalesCalendar({ extraClosures: ['2025-12-29'] });
      expect(closing.isWorkingDay('2025-12-29')).toBe(false);
      expect(closing.addWorkingDays('2025-12-24', 1)).toBe('2025-12-30');
    });
  });

  describe('addWorkingDays', () => {
    it('skips Easter', () => {
      expect(calendar.addWorkingDays('2025-04-17', 1)).toBe('2025-04-22');
    });

    it('skips Christmas, Boxing Day and the 2026 substitute day', () => {
      expect(calendar.addWorkingDays('2026-12-24', 1)).toBe('2026-12-29');
    });

    it('counts ten working days after the end of Q2 2025/26', () => {
      expect(calendar.addWorkingDays('2025-09-30', 10)).toBe('2025-10-14');
    });

    it('counts backwards for negative n, skipping the weekend and holidays', () => {
      expect(calendar.addWorkingDays('2025-04-22', -1)).toBe('2025-04-17');
      expect(calendar.addWorkingDays('2025-10-13', -3)).toBe('2025-10-08');
    });

    it('moves a date that is not a working day forward when n is 0', () => {
      expect(calendar.addWorkingDays('2024-12-25', 0)).toBe('2024-12-27');
      expect(calendar.addWorkingDays('2025-10-14', 0)).toBe('2025-10-14');
    });

    it('rejects a non-integer count and a malformed date', () => {
      expect(() => calendar.addWorkingDays('2025-10-14', 1.5)).toThrow(RangeError);
      expect(() => calendar.addWorkingDays('2025-02-30', 1)).toThrow(InvalidCalendarDateError);
      expect(() => calendar.addWorkingDays('14/10/2025', 1)).toThrow(InvalidCalendarDateError);
    });
  });

  describe('workingDaysBetween', () => {
    it('counts Friday to Monday as one working day', () => {
      expect(calendar.workingDaysBetween('2025-10-10', '2025-10-13')).toBe(1);
    });

    it('is negative when the second date is earlier', () => {
      expect(calendar.workingDaysBetween('2025-10-13', '2025-10-10')).toBe(-1);
    });

    it('is zero for the same date and across a holiday weekend with no working day', () => {
      expect(calendar.workingDaysBetween('2025-10-14', '2025-10-14')).toBe(0);
      expect(calendar.workingDaysBetween('2025-04-17', '2025-04-21')).toBe(0);
    });

    it('counts across the 2026 Christmas break', () => {
      expect(calendar.workingDaysBetween('2026-12-24', '2027-01-04')).toBe(4);
    });

    it('is the inverse of addWorkingDays from any working day', () => {
      const days = fc.integer({ min: 0, max: 3 * 365 }).map((offset) => {
        const date = new Date(Date.UTC(2024, 0, 1) + offset * 86_400_000).toISOString().slice(0, 10);
        return calendar.addWorkingDays(date, 0);
      });
      fc.assert(
        fc.property(days, fc.integer({ min: -40, max: 40 }), (start, n) => {
          const end = calendar.addWorkingDays(start, n);
          expect(calendar.workingDaysBetween(start, end)).toBe(n);
          expect(calendar.isWorkingDay(end)).toBe(true);
        }),
      );
    });
  });
});

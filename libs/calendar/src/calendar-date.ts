/**
 * Calendar dates as `YYYY-MM-DD` strings: the form dates take in events and in the timetable.
 * Arithmetic is done on the proleptic Gregorian calendar through UTC midnight, which has no
 * daylight-saving gaps, so a "day" is always a calendar day whatever the zone.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** A string that is not a valid `YYYY-MM-DD` calendar date. */
export class InvalidCalendarDateError extends Error {
  override readonly name = 'InvalidCalendarDateError';
  constructor(readonly value: string) {
    super(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  }
}

/** Days since 1970-01-01 for a valid date; throws {@link InvalidCalendarDateError} otherwise. */
export function toDayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new InvalidCalendarDateError(date);
  const [, y, m, d] = match;
  const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
  // Date.UTC rolls 2025-02-30 over to March; a round trip detects it.
  if (fromDayNumber(ms / MS_PER_DAY) !== date) throw new InvalidCalendarDateError(date);
  return ms / MS_PER_DAY;
}

export function fromDayNumber(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

export function isCalendarDate(value: string): boolean {
  try {
    toDayNumber(value);
    return true;
  } catch {
    return false;
  }
}

export function addCalendarDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function isoWeekday(date: string): number {
  const dow = new Date(toDayNumber(date) * MS_PER_DAY).getUTCDay();
  return dow === 0 ? 7 : dow;
}

/**
 * Calendar dates as `YYYY-MM-DD` strings: the form dates take in events and in the timetable.
 * Arithmetic is done on the proleptic Gregorian calendar through UTC midnight, which has no
 * daylight-saving gaps, so a "day" is always a calendar day whatever the zone.
 */

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A string that is not a valid `YYYY-MM-DD` calendar date. */
export class InvalidCalendarDateError extends Error {
  override readonly name = 'InvalidCalendarDateError';
  constructor(readonly value: string) {
    super(`not a calendar date (YYYY-MM-DD): ${JSON.stringify(value)}`);
  }
}

// Civil-date arithmetic without Date objects (H. Hinnant's days_from_civil / civil_from_days):
// working-day loops call these thousands of times when a cycle's timers are planned.

function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Days since 1970-01-01 for a valid date; throws {@link InvalidCalendarDateError} otherwise. */
export function toDayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (!match) throw new InvalidCalendarDateError(date);
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  const daysInMonth = month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth) throw new InvalidCalendarDateError(date);
  return daysFromCivil(year, month, day);
}

export function fromDayNumber(dayNumber: number): string {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
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
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((toDayNumber(date) + 3) % 7) + 7) % 7) + 1;
}

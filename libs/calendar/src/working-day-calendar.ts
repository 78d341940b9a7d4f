import Holidays from 'date-holidays';
import { fromDayNumber, isoWeekday, toDayNumber } from './calendar-date';
import { atLocalTime, localDateOf, LONDON_TIME_ZONE } from './local-time';

/**
 * Working days in Europe/London: Monday to Friday, excluding England and Wales bank holidays.
 * Everything that counts deadlines (reminders, chasers, escalations) goes through this port so
 * a test or another nation's council can supply a different calendar.
 */
export interface WorkingDayCalendar {
  /** The IANA zone whose wall clock defines dates and sending times. */
  readonly timeZone: string;
  /** True on a weekday that is not a bank holiday. */
  isWorkingDay(date: string): boolean;
  /**
   * The date `n` working days after `date` (before it when `n` is negative). With `n = 0` the
   * date itself if it is a working day, else the next working day: a deadline falling on a
   * holiday moves forward, never back.
   */
  addWorkingDays(date: string, n: number): string;
  /**
   * Working days after `a` up to and including `b` (negative when `b` is before `a`). So a
   * return due on Friday and looked at on the following Monday is 1 working day overdue.
   */
  workingDaysBetween(a: string, b: string): number;
  /** The UTC instant at which the local wall clock reads `time` (`HH:mm`) on `date`. */
  atLocalTime(date: string, time: string): Date;
  /** The local calendar date at `instant`. */
  localDateOf(instant: Date | string): string;
  /** Bank holidays in `year`, as dates, in order (for display and tests). */
  bankHolidaysIn(year: number): readonly string[];
}

export interface EnglandAndWalesCalendarOptions {
  /**
   * Extra non-working dates (`YYYY-MM-DD`), e.g. a council's own closure days between Christmas
   * and New Year. Added to the bank holidays, never replacing them.
   * @defaultValue none
   */
  readonly extraClosures?: readonly string[];
}

/**
 * England and Wales bank holidays from `date-holidays` (country GB, region ENG), public holidays
 * only (observances such as Mother's Day are not days off) and including substitute days, such
 * as Monday 28 December 2026 for Boxing Day falling on a Saturday. One-off days declared by
 * proclamation (the 2022 state funeral, the 2023 coronation) are included where the library
 * knows them.
 */
export class EnglandAndWalesCalendar implements WorkingDayCalendar {
  readonly timeZone = LONDON_TIME_ZONE;
  private readonly holidays = new Holidays('GB', 'ENG', { types: ['public', 'bank'] });
  private readonly byYear = new Map<number, ReadonlySet<string>>();
  private readonly extraClosures: ReadonlySet<string>;
  // Planning a cycle asks the same few dates and sending times thousands of times; these
  // answers never change, so they are remembered (bounded, cleared when full).
  private readonly workingDays = new Map<string, boolean>();
  private readonly localTimes = new Map<string, number>();

  constructor(options: EnglandAndWalesCalendarOptions = {}) {
    for (const date of options.extraClosures ?? []) toDayNumber(date);
    this.extraClosures = new Set(options.extraClosures ?? []);
  }

  bankHolidaysIn(year: number): readonly string[] {
    return [...this.holidaySet(year)].sort();
  }

  isWorkingDay(date: string): boolean {
    let working = this.workingDays.get(date);
    if (working === undefined) {
      working =
        isoWeekday(date) <= 5 && !this.extraClosures.has(date) && !this.holidaySet(Number(date.slice(0, 4))).has(date);
      remember(this.workingDays, date, working);
    }
    return working;
  }

  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`working days must be an integer, got ${n}`);
    let day = toDayNumber(date);
    if (n === 0) {
      while (!this.isWorkingDay(fromDayNumber(day))) day += 1;
      return fromDayNumber(day);
    }
    const step = n > 0 ? 1 : -1;
    for (let remaining = Math.abs(n); remaining > 0; ) {
      day += step;
      if (this.isWorkingDay(fromDayNumber(day))) remaining -= 1;
    }
    return fromDayNumber(day);
  }

  workingDaysBetween(a: string, b: string): number {
    const from = toDayNumber(a);
    const to = toDayNumber(b);
    if (to < from) return -this.workingDaysBetween(b, a);
    let count = 0;
    for (let day = from + 1; day <= to; day += 1) {
      if (this.isWorkingDay(fromDayNumber(day))) count += 1;
    }
    return count;
  }

  atLocalTime(date: string, time: string): Date {
    const key = `${date}T${time}`;
    let instant = this.localTimes.get(key);
    if (instant === undefined) {
      instant = atLocalTime(date, time, this.timeZone).getTime();
      remember(this.localTimes, key, instant);
    }
    return new Date(instant);
  }

  localDateOf(instant: Date | string): string {
    return localDateOf(instant, this.timeZone);
  }

  private holidaySet(year: number): ReadonlySet<string> {
    let set = this.byYear.get(year);
    if (!set) {
      // `date` is "YYYY-MM-DD hh:mm:ss" in the country's zone; its first ten characters are
      // the local calendar date, which is what a bank holiday is.
      set = new Set(this.holidays.getHolidays(year).map((holiday) => holiday.date.slice(0, 10)));
      this.byYear.set(year, set);
    }
    return set;
  }
}

const MAX_REMEMBERED = 20_000;

function remember<V>(cache: Map<string, V>, key: string, value: V): void {
  if (cache.size >= MAX_REMEMBERED) cache.clear();
  cache.set(key, value);
}

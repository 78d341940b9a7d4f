import { isCalendarDate, InvalidCalendarDateError } from './calendar-date';

/** The council's zone: all deadlines and sending times are wall-clock times in London. */
export const LONDON_TIME_ZONE = 'Europe/London';

const TIME_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** A string that is not a valid `HH:mm` wall-clock time. */
export class InvalidLocalTimeError extends Error {
  override readonly name = 'InvalidLocalTimeError';
  constructor(readonly value: string) {
    super(`not a local time (HH:mm): ${JSON.stringify(value)}`);
  }
}

export function isLocalTime(value: string): boolean {
  return TIME_PATTERN.test(value);
}

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = partsFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Wall-clock fields of an instant in a zone, as a UTC timestamp ("local time read as if UTC"). */
function wallClockAsUtc(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
}

/** Offset of the zone from UTC at an instant, in milliseconds (BST: +3 600 000). */
function offsetAt(instantMs: number, timeZone: string): number {
  const wholeSecond = Math.floor(instantMs / 1000) * 1000;
  return wallClockAsUtc(wholeSecond, timeZone) - wholeSecond;
}

/**
 * The UTC instant at which the wall clock in `timeZone` reads `time` on `date`.
 *
 * DST-aware: `atLocalTime('2025-07-01', '09:00')` is `2025-07-01T08:00:00.000Z`. A time that
 * does not exist (inside the spring-forward gap) resolves to the instant the clocks jumped
 * over it, i.e. read with the pre-change offset (01:30 on the last Sunday of March is 02:30 BST);
 * a time that occurs twice (the autumn fold) resolves to the first occurrence.
 */
export function atLocalTime(date: string, time: string, timeZone: string = LONDON_TIME_ZONE): Date {
  if (!isCalendarDate(date)) throw new InvalidCalendarDateError(date);
  const match = TIME_PATTERN.exec(time);
  if (!match) throw new InvalidLocalTimeError(time);
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, Number(match[1]), Number(match[2]));
  // Try the offsets in force a day either side: one of them is right unless the time falls in
  // a gap, and preferring the earlier candidate picks the first occurrence in a fold.
  const candidates = [offsetAt(wall - 86_400_000, timeZone), offsetAt(wall + 86_400_000, timeZone)]
    .map((offset) => wall - offset)
    .sort((a, b) => a - b);
  for (const candidate of candidates) {
    if (wallClockAsUtc(candidate, timeZone) === wall) return new Date(candidate);
  }
  // In the gap: neither offset reproduces the wall time; the pre-change offset gives the
  // instant just after the jump.
  return new Date(wall - offsetAt(wall - 86_400_000, timeZone));
}

/** The calendar date (`YYYY-MM-DD`) on the wall clock in `timeZone` at `instant`. */
export function localDateOf(instant: Date | string, timeZone: string = LONDON_TIME_ZONE): string {
  const ms = typeof instant === 'string' ? Date.parse(instant) : instant.getTime();
  if (Number.isNaN(ms)) throw new RangeError(`not an instant: ${String(instant)}`);
  return new Date(wallClockAsUtc(ms, timeZone)).toISOString().slice(0, 10);
}


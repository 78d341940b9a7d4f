import { atLocalTime, LONDON_TIME_ZONE } from '@quarterly/calendar';
import { ValidationError } from '@quarterly/domain';

const LONDON_PARTS = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON_TIME_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function londonParts(instant: string): { date: string; time: string } {
  const parts = Object.fromEntries(LONDON_PARTS.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  return { date: `${parts['year']}-${parts['month']}-${parts['day']}`, time: `${parts['hour']}:${parts['minute']}` };
}

/** `2026-10-09T10:00:00Z` → `9 October 2026 at 11:00` (the wall clock in London). */
export function asAtInWords(instant: string): string {
  const { date, time } = londonParts(instant);
  const [year, month, day] = date.split('-');
  return `${Number(day)} ${MONTHS[Number(month) - 1]} ${year} at ${time}`;
}

/** The value of a `datetime-local` control for an instant: London's wall clock, `2026-10-09T11:00`. */
export function asAtControlValue(instant: string): string {
  const { date, time } = londonParts(instant);
  return `${date}T${time}`;
}

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})$/;

/**
 * An "as at" from a page's control or a link: an ISO 8601 instant (`…Z` or with an offset), or a
 * London wall-clock time as a `datetime-local` control sends it (`2026-10-09T11:00`). Anything
 * else is a 400 naming the field.
 */
export function parseAsAt(value: string, field: string): string {
  const local = LOCAL.exec(value);
  if (local) {
    try {
      const instant = atLocalTime(local[1]!, local[2]!);
      if (!Number.isNaN(instant.getTime())) return instant.toISOString();
    } catch {
      // not a real date or time: refused below
    }
  } else if (INSTANT.test(value) && !Number.isNaN(Date.parse(value))) {
    return new Date(value).toISOString();
  }
  throw new ValidationError(field, 'must be a date and time, e.g. 2026-10-09T11:00');
}

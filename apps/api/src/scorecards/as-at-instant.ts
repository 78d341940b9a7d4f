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
const LOCAL = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::(\d{2}))?$/;
/** How far ahead of this server's clock an "as at" may be (another machine's clock, the current minute). */
const FUTURE_ALLOWANCE_MS = 60_000;

/**
 * An "as at" from a page's control or a link: an ISO 8601 instant (`…Z` or with an offset), or a
 * London wall-clock time as a `datetime-local` control sends it (`2026-10-09T11:00`, or with
 * seconds). A wall-clock time to the minute means the end of that minute, as the pages write
 * times to the minute: "as at 11:00" includes what they show as done "at 11:00". An instant
 * after `now` is refused (nothing is known of it yet), as is anything else, with a 400 naming
 * the field.
 */
export function parseAsAt(value: string, field: string, now: Date): string {
  const instant = instantOf(value);
  if (instant === undefined) throw new ValidationError(field, 'must be written like 2026-10-09T11:00 (London time)');
  if (instant.getTime() > now.getTime() + FUTURE_ALLOWANCE_MS) throw new ValidationError(field, `must not be in the future (it is ${asAtInWords(now.toISOString())} now)`);
  return instant.toISOString();
}

function instantOf(value: string): Date | undefined {
  const local = LOCAL.exec(value);
  if (local) {
    try {
      const minute = atLocalTime(local[1]!, local[2]!);
      if (Number.isNaN(minute.getTime())) return undefined;
      return new Date(minute.getTime() + (local[3] === undefined ? 59_999 : Number(local[3]) * 1000 + 999));
    } catch {
      return undefined; // not a real date or time
    }
  }
  return INSTANT.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value) : undefined;
}

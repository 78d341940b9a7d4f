import { isPeriodId, reportingPeriodAsTyped } from '@quarterly/domain';

/**
 * A quarter as a person types it into a form, read as the period the register writes
 * (`2026/27-Q3`): the financial year and the quarter in either order, separated by a space or
 * a hyphen, the year's halves by `/` or `-`, `q` in either case (`2026/27 Q3`, `Q3 2026/27`,
 * `2026-27-q3`), as the domain reads typed periods for every door (`reportingPeriodAsTyped`, which
 * the imports use too). Anything else is returned as typed, for validation to refuse.
 */
export function quarterAsTyped(text: string): string {
  const read = reportingPeriodAsTyped(text);
  return isPeriodId(read) ? read : text.trim().replace(/\s+/g, ' ');
}

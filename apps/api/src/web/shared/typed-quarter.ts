/**
 * A quarter as a person types it into a form, read as the period the register writes
 * (`2026/27-Q3`): the financial year and the quarter in either order, separated by a space or
 * a hyphen, the year's halves by `/` or `-`, `q` in either case (`2026/27 Q3`, `Q3 2026/27`,
 * `2026-27-q3`). Anything else is returned as typed, for validation to refuse.
 */
export function quarterAsTyped(text: string): string {
  const typed = text.trim().replace(/\s+/g, ' ');
  const yearFirst = /^(\d{4})[/-](\d{2})[ -]?[Qq]([1-4])$/.exec(typed);
  if (yearFirst) return `${yearFirst[1]}/${yearFirst[2]}-Q${yearFirst[3]}`;
  const quarterFirst = /^[Qq]([1-4])[ -]?(\d{4})[/-](\d{2})$/.exec(typed);
  if (quarterFirst) return `${quarterFirst[2]}/${quarterFirst[3]}-Q${quarterFirst[1]}`;
  return typed;
}

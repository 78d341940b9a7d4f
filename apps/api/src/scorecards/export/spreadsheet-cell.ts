/**
 * A cell a spreadsheet will not run as a formula. Text that begins with `=`, `+`, `-`, `@` (or a
 * tab or carriage return, which some spreadsheets skip before one) is prefixed with an apostrophe,
 * as OWASP advises against CSV injection; a plain number such as `-3.5` stays a number.
 */
export function neutralisedCell(value: string): string {
  if (/^-?\d+(\.\d+)?$/.test(value)) return value;
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

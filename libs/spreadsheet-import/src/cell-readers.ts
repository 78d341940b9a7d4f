/**
 * How an import reads the cells people type: one home for each rule, shared by every import.
 *
 * - Dates: a spreadsheet date cell arrives as the calendar date it shows (the reader writes it
 *   `YYYY-MM-DD`); typed dates are read as written in England — `2025-08-14`, `14/08/2025`,
 *   `14/8/2025`, `14 Aug 2025`, `14 August 2025` — day before month, never month before day.
 * - Choices (a unit, a polarity, a frequency…): the code (`higher_is_better`) or the words the
 *   app itself prints for it (`Higher is better`, `%`), in any case, with spaces, hyphens and
 *   underscores alike.
 *
 * Each reader answers the value or a sentence saying what is wrong and what would be accepted,
 * so the planner can name every problem of a row at once.
 */

/** A reading: the value, or what is wrong with the cell in plain English (what would be accepted included). */
export type CellReading<T> = { readonly value: T } | { readonly problem: string };

export function isCellProblem<T>(reading: CellReading<T>): reading is { readonly problem: string } {
  return 'problem' in reading;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'] as const;

/** `jan`, `sept` and `september` are all September's; three letters at least. */
function monthNumberOf(name: string): number | null {
  const key = name.toLowerCase().replace(/\.$/, '');
  if (key.length < 3) return null;
  const index = MONTHS.findIndex((month) => month.startsWith(key) || (key === 'sept' && month === 'september'));
  return index === -1 ? null : index + 1;
}

const DATE_FORMS = 'like 14/08/2025, 14 Aug 2025 or 2025-08-14';

/**
 * A date as typed in an English council's spreadsheet, as `YYYY-MM-DD`. Day/month/year, never
 * month/day; the year in full (`14/08/25` is refused: which century is not guessed); an impossible
 * date (`31/02/2025`) is refused naming the month's length. A date cell reaches here already
 * written `YYYY-MM-DD` by the spreadsheet reader.
 */
export function readCalendarDate(text: string): CellReading<string> {
  const written = text.trim().replace(/\s+/g, ' ');
  let day: number;
  let month: number;
  let year: number;
  let match: RegExpExecArray | null;
  if ((match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(written))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(written))) {
    if (match[3]!.length !== 4) return { problem: `"${written}" does not give the year in full: write it ${DATE_FORMS}` };
    [day, month, year] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else if ((match = /^(\d{1,2})(?:st|nd|rd|th)?[ -]([A-Za-z]+\.?),?[ -](\d{2,4})$/.exec(written))) {
    const named = monthNumberOf(match[2]!);
    if (named === null) return { problem: `"${written}" is not a date: "${match[2]}" is not a month; write it ${DATE_FORMS}` };
    if (match[3]!.length !== 4) return { problem: `"${written}" does not give the year in full: write it ${DATE_FORMS}` };
    [day, month, year] = [Number(match[1]), named, Number(match[3])];
  } else {
    return { problem: written === '' ? `is empty: write the date ${DATE_FORMS}` : `"${written}" is not a date: write it ${DATE_FORMS} (day before month)` };
  }
  if (month < 1 || month > 12) return { problem: `"${written}" is not a date: there is no month ${month} (dates are read day/month/year)` };
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) return { problem: `"${written}" is not a date: ${capitalised(MONTHS[month - 1]!)} ${year} has ${days} days` };
  return { value: `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}` };
}

/** One code of a choice and the other words that mean it (those the app prints, and common spellings). */
export interface Choice<Code extends string> {
  readonly code: Code;
  readonly words?: readonly string[];
}

/** Case, surrounding and repeated spaces, and `_` / `-` / space are alike; `1,000` is `1000`. */
export function choiceKey(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/(\d),(\d{3})/g, '$1$2')
    .replace(/[\s_-]+/g, ' ');
}

/**
 * The code a cell means: the code itself or any of its words, in the forms `choiceKey` makes alike.
 * The problem names the codes that would be accepted, and one of the words.
 */
export function readChoice<Code extends string>(text: string, choices: readonly Choice<Code>[]): CellReading<Code> {
  const key = choiceKey(text);
  for (const choice of choices) {
    if (choiceKey(choice.code) === key || (choice.words ?? []).some((word) => choiceKey(word) === key)) return { value: choice.code };
  }
  return { problem: `${text.trim() === '' ? 'is empty' : `"${text.trim()}" is not one of the choices`}: write ${acceptedChoices(choices)}` };
}

/** `percentage, count or money (or the words the app prints, like "%")`: the codes, and a word for them. */
export function acceptedChoices(choices: readonly Choice<string>[]): string {
  const codes = choices.map((choice) => choice.code);
  const listed = codes.length <= 1 ? (codes[0] ?? '') : `${codes.slice(0, -1).join(', ')} or ${codes[codes.length - 1]}`;
  const word = choices.find((choice) => (choice.words ?? []).length > 0)?.words?.[0];
  return word === undefined ? listed : `${listed} (or the words the app prints, like "${word}")`;
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

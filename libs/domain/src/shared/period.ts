/**
 * Periods of English local-government reporting. The financial year runs April–March and is
 * written `2024/25`; Q1 is Apr–Jun, Q2 Jul–Sep, Q3 Oct–Dec, Q4 Jan–Mar. A reporting cycle is one
 * quarter, identified by a {@link PeriodId} such as `2024/25-Q2`. Returns also cover half years
 * (`2024/25-H1`, for six-monthly KPIs) and whole years (`2024/25`, for annual KPIs).
 *
 * All functions are pure string arithmetic on calendar values: no time zones are involved.
 */
import { ValidationError } from './domain-error';

/** A financial year, `YYYY/YY` where the second part is the following year, e.g. `2024/25`. */
export type FinancialYear = string;
/** A quarter of a financial year, e.g. `2024/25-Q2`. Identifies a reporting cycle. */
export type PeriodId = string;
/** A calendar month, `YYYY-MM`. */
export type Month = string;
/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
/** The period a return's figure covers: a quarter, a half year (`2024/25-H1`) or a year. */
export type ReportingPeriod = string;
export type Quarter = 1 | 2 | 3 | 4;
export type Half = 1 | 2;

export interface ParsedPeriodId {
  readonly financialYear: FinancialYear;
  /** The calendar year in which the financial year starts (April). */
  readonly startYear: number;
  readonly quarter: Quarter;
}

export type ParsedReportingPeriod =
  | { readonly kind: 'quarter'; readonly financialYear: FinancialYear; readonly startYear: number; readonly quarter: Quarter }
  | { readonly kind: 'half'; readonly financialYear: FinancialYear; readonly startYear: number; readonly half: Half }
  | { readonly kind: 'year'; readonly financialYear: FinancialYear; readonly startYear: number };

const FINANCIAL_YEAR = /^(\d{4})\/(\d{2})$/;
const PERIOD_ID = /^(\d{4}\/\d{2})-Q([1-4])$/;
const HALF_ID = /^(\d{4}\/\d{2})-H([12])$/;
const STREAM_SAFE_PERIOD_ID = /^(\d{4})-(\d{2})-Q([1-4])$/;
const MONTH = /^(\d{4})-(\d{2})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 instant with an explicit offset, as produced by Date.prototype.toISOString().
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

const pad2 = (n: number): string => String(n).padStart(2, '0');

// ---- financial years ------------------------------------------------------------------------

export function tryParseFinancialYear(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const match = FINANCIAL_YEAR.exec(value);
  if (!match) return null;
  const startYear = Number(match[1]);
  if (Number(match[2]) !== (startYear + 1) % 100) return null;
  return startYear;
}

export function isFinancialYear(value: unknown): value is FinancialYear {
  return tryParseFinancialYear(value) !== null;
}

/** The start year of a financial year; throws ValidationError (on `field`) if malformed. */
export function parseFinancialYear(value: unknown, field = 'financialYear'): number {
  const startYear = tryParseFinancialYear(value);
  if (startYear === null) throw new ValidationError(field, `expected a financial year like 2024/25, got ${String(value)}`);
  return startYear;
}

export function formatFinancialYear(startYear: number): FinancialYear {
  return `${startYear}/${pad2((startYear + 1) % 100)}`;
}

export function previousFinancialYear(financialYear: FinancialYear): FinancialYear {
  return formatFinancialYear(parseFinancialYear(financialYear) - 1);
}

/** The financial year containing a calendar date or month. */
export function financialYearOf(dateOrMonth: IsoDate | Month): FinancialYear {
  const [year, month] = dateOrMonth.split('-').map(Number) as [number, number];
  return formatFinancialYear(month >= 4 ? year : year - 1);
}

// ---- quarters (cycles) ----------------------------------------------------------------------

export function tryParsePeriodId(value: unknown): ParsedPeriodId | null {
  if (typeof value !== 'string') return null;
  const match = PERIOD_ID.exec(value);
  if (!match) return null;
  const startYear = tryParseFinancialYear(match[1]);
  if (startYear === null) return null;
  return { financialYear: match[1]!, startYear, quarter: Number(match[2]) as Quarter };
}

export function isPeriodId(value: unknown): value is PeriodId {
  return tryParsePeriodId(value) !== null;
}

/** Parses `2024/25-Q2`; throws ValidationError (on `field`) if malformed. */
export function parsePeriodId(value: unknown, field = 'periodId'): ParsedPeriodId {
  const parsed = tryParsePeriodId(value);
  if (!parsed) throw new ValidationError(field, `expected a quarter like 2024/25-Q2, got ${String(value)}`);
  return parsed;
}

export function formatPeriodId(financialYear: FinancialYear, quarter: Quarter): PeriodId {
  parseFinancialYear(financialYear);
  return `${financialYear}-Q${quarter}`;
}

/** Negative when a is before b, 0 when equal, positive when after. */
export function comparePeriodIds(a: PeriodId, b: PeriodId): number {
  const pa = parsePeriodId(a);
  const pb = parsePeriodId(b);
  return pa.startYear * 4 + pa.quarter - (pb.startYear * 4 + pb.quarter);
}

export function previousQuarter(periodId: PeriodId): PeriodId {
  const { startYear, quarter } = parsePeriodId(periodId);
  return quarter === 1
    ? `${formatFinancialYear(startYear - 1)}-Q4`
    : `${formatFinancialYear(startYear)}-Q${quarter - 1}`;
}

export function nextQuarter(periodId: PeriodId): PeriodId {
  const { startYear, quarter } = parsePeriodId(periodId);
  return quarter === 4
    ? `${formatFinancialYear(startYear + 1)}-Q1`
    : `${formatFinancialYear(startYear)}-Q${quarter + 1}`;
}

export function sameQuarterLastYear(periodId: PeriodId): PeriodId {
  const { startYear, quarter } = parsePeriodId(periodId);
  return `${formatFinancialYear(startYear - 1)}-Q${quarter}`;
}

/** The three months of a quarter, in order: `2024/25-Q4` → `2025-01`, `2025-02`, `2025-03`. */
export function monthsOfQuarter(periodId: PeriodId): Month[] {
  const { startYear, quarter } = parsePeriodId(periodId);
  const firstMonthIndex = 3 + (quarter - 1) * 3; // 0-based: April = 3
  return [0, 1, 2].map((offset) => {
    const index = firstMonthIndex + offset;
    const year = startYear + Math.floor(index / 12);
    return `${year}-${pad2((index % 12) + 1)}`;
  });
}

export function quarterStartDate(periodId: PeriodId): IsoDate {
  return `${monthsOfQuarter(periodId)[0]!}-01`;
}

/** The last day of the quarter: 30 Jun, 30 Sep, 31 Dec or 31 Mar. */
export function quarterEndDate(periodId: PeriodId): IsoDate {
  const { startYear, quarter } = parsePeriodId(periodId);
  switch (quarter) {
    case 1:
      return `${startYear}-06-30`;
    case 2:
      return `${startYear}-09-30`;
    case 3:
      return `${startYear}-12-31`;
    case 4:
      return `${startYear + 1}-03-31`;
  }
}

/** The quarter containing a month. */
export function quarterOfMonth(month: Month): PeriodId {
  const parsed = MONTH.exec(month);
  if (!parsed || !isMonth(month)) throw new ValidationError('month', `expected a month like 2024-07, got ${month}`);
  const calendarMonth = Number(parsed[2]);
  const quarter = (Math.floor(((calendarMonth + 8) % 12) / 3) + 1) as Quarter;
  return `${financialYearOf(month)}-Q${quarter}`;
}

/** `2024/25-Q2` → `2024-25-Q2`, for stream ids and URLs where `/` is awkward. */
export function streamSafePeriodId(periodId: PeriodId): string {
  parsePeriodId(periodId);
  return periodId.replace('/', '-');
}

/** `2024-25-Q2` → `2024/25-Q2`; throws ValidationError if malformed. */
export function parseStreamSafePeriodId(value: string, field = 'periodId'): PeriodId {
  const match = STREAM_SAFE_PERIOD_ID.exec(value);
  const periodId = match ? `${match[1]}/${match[2]}-Q${match[3]}` : '';
  if (!isPeriodId(periodId)) throw new ValidationError(field, `expected a quarter like 2024-25-Q2, got ${value}`);
  return periodId;
}

// ---- half years and reporting periods -------------------------------------------------------

export function formatHalfYear(financialYear: FinancialYear, half: Half): ReportingPeriod {
  parseFinancialYear(financialYear);
  return `${financialYear}-H${half}`;
}

export function tryParseReportingPeriod(value: unknown): ParsedReportingPeriod | null {
  if (typeof value !== 'string') return null;
  const quarter = tryParsePeriodId(value);
  if (quarter) return { kind: 'quarter', ...quarter };
  const half = HALF_ID.exec(value);
  if (half) {
    const startYear = tryParseFinancialYear(half[1]);
    return startYear === null ? null : { kind: 'half', financialYear: half[1]!, startYear, half: Number(half[2]) as Half };
  }
  const startYear = tryParseFinancialYear(value);
  return startYear === null ? null : { kind: 'year', financialYear: value, startYear };
}

export function isReportingPeriod(value: unknown): value is ReportingPeriod {
  return tryParseReportingPeriod(value) !== null;
}

/** Parses `2024/25-Q2`, `2024/25-H1` or `2024/25`; throws ValidationError if malformed. */
export function parseReportingPeriod(value: unknown, field = 'periodCovered'): ParsedReportingPeriod {
  const parsed = tryParseReportingPeriod(value);
  if (!parsed) {
    throw new ValidationError(field, `expected 2024/25-Q2, 2024/25-H1 or 2024/25, got ${String(value)}`);
  }
  return parsed;
}

/**
 * A reporting period as people type it (into a form, a spreadsheet), read as the register writes
 * it: the financial year's halves separated by `/` or `-`, a quarter or half year before or after
 * the year, separated by a space, a hyphen or nothing, `q` / `h` in either case — `2026/27 Q3`,
 * `Q3 2026/27`, `2026-27-q3` are `2026/27-Q3`; `H1 2026-27` is `2026/27-H1`; `2026-27` is
 * `2026/27`. Anything else is returned as typed (spaces tidied), for validation to refuse: a
 * calendar year (`2026 Q3`) or a year written in full (`2026/2027`) is not guessed at.
 */
export function reportingPeriodAsTyped(text: string): string {
  const typed = text.trim().replace(/\s+/g, ' ');
  const year = /^(\d{4})[/-](\d{2})$/.exec(typed);
  if (year) return `${year[1]}/${year[2]}`;
  const yearFirst = /^(\d{4})[/-](\d{2})[ -]?(?:([Qq])([1-4])|([Hh])([12]))$/.exec(typed);
  if (yearFirst) return `${yearFirst[1]}/${yearFirst[2]}-${yearFirst[3] ? `Q${yearFirst[4]}` : `H${yearFirst[6]}`}`;
  const periodFirst = /^(?:([Qq])([1-4])|([Hh])([12]))[ -]?(\d{4})[/-](\d{2})$/.exec(typed);
  if (periodFirst) return `${periodFirst[5]}/${periodFirst[6]}-${periodFirst[1] ? `Q${periodFirst[2]}` : `H${periodFirst[4]}`}`;
  return typed;
}

// ---- months, dates, instants ----------------------------------------------------------------

export function isMonth(value: unknown): value is Month {
  if (typeof value !== 'string') return false;
  const match = MONTH.exec(value);
  return !!match && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** A real calendar date `YYYY-MM-DD` (rejects 2025-02-29). */
export function isIsoDate(value: unknown): value is IsoDate {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

/** An ISO 8601 instant with seconds and an offset, e.g. `2024-10-07T09:30:00.000Z`. */
export function isIsoInstant(value: unknown): value is string {
  return typeof value === 'string' && ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value));
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

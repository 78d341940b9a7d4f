/**
 * A register file's cells in the domain's codes, before the plan reads them: each coded column's
 * word (`Higher is better`, `%`, `Quarterly`, `Performance team`) becomes its code, each figure
 * typed the way the pages print figures (`45.0%`, `£1,250`, `1,000`) its decimal, read with the
 * KPI's unit, and a financial year typed `2026-27` is `2026/27`. A cell that means nothing is left as written: the plan names it, with what would
 * be accepted (`choiceProblems`).
 */
import { figureAsTyped, isFinancialYear, KPI_UNITS, reportingPeriodAsTyped, type KpiUnit } from '@quarterly/domain';
import { isCellProblem, readChoice, type Choice, type SheetRow } from '@quarterly/spreadsheet-import';
import type { RegisterFileContent } from './register-file.reader';
import { LIST_SEPARATOR } from './register-template';
import {
  DIRECTION_CHOICES,
  DUE_QUARTER_CHOICES,
  FREQUENCY_CHOICES,
  LABEL_CHOICES,
  LAST_YEAR_BASIS_CHOICES,
  MEASURE_TYPE_CHOICES,
  PERIOD_CHOICES,
  POLARITY_CHOICES,
  POLICY_CHOICES,
  RATED_FIGURE_CHOICES,
  ROLE_CHOICES,
  UNIT_CHOICES,
} from './register-words';

/** The coded columns of each sheet and their words; `required` ones are named when empty too. */
interface CodedColumn {
  readonly choices: readonly Choice<string>[];
  readonly required?: boolean;
  /** A list separated by `;` (roles). */
  readonly list?: boolean;
}

export const KPI_CODED_COLUMNS: Readonly<Record<string, CodedColumn>> = {
  unit: { choices: UNIT_CHOICES, required: true },
  polarity: { choices: POLARITY_CHOICES, required: true },
  frequency: { choices: FREQUENCY_CHOICES, required: true },
  annualDueQuarter: { choices: DUE_QUARTER_CHOICES },
  measureType: { choices: MEASURE_TYPE_CHOICES, required: true },
  labels: { choices: LABEL_CHOICES, required: true },
  policy: { choices: POLICY_CHOICES },
  direction: { choices: DIRECTION_CHOICES },
  ratedFigure: { choices: RATED_FIGURE_CHOICES },
  lastYearBasis: { choices: LAST_YEAR_BASIS_CHOICES },
};

export const TARGET_CODED_COLUMNS: Readonly<Record<string, CodedColumn>> = {
  period: { choices: PERIOD_CHOICES },
  policy: { choices: POLICY_CHOICES },
  direction: { choices: DIRECTION_CHOICES },
  ratedFigure: { choices: RATED_FIGURE_CHOICES },
  lastYearBasis: { choices: LAST_YEAR_BASIS_CHOICES },
};

export const PEOPLE_CODED_COLUMNS: Readonly<Record<string, CodedColumn>> = {
  roles: { choices: ROLE_CHOICES, required: true, list: true },
};

/** Columns holding figures in the KPI's unit; the tolerance is a percentage whatever the unit. */
const FIGURE_COLUMNS = ['green', 'amber', 'target', 'validMin', 'validMax'] as const;

/**
 * The file with its words in codes and its figures as decimals. `unitOf` gives the unit of a KPI
 * the register holds, for a Targets row of a KPI not on the KPIs sheet.
 */
export function registerFileInCodes(file: RegisterFileContent, unitOf: (kpiId: string) => KpiUnit | undefined): RegisterFileContent {
  const kpis = file.kpis.map((row) => inCodes(row, KPI_CODED_COLUMNS));
  const units = new Map<string, string>();
  for (const row of kpis) units.set((row.cells.kpiId ?? '').toLowerCase(), row.cells.unit ?? '');
  const withFigures = (row: SheetRow, unit: string): SheetRow => {
    const cells: Record<string, string> = { ...row.cells };
    // `2026-27` is `2026/27`, as the pages read a typed period.
    if (cells.financialYear) cells.financialYear = financialYearAsTyped(cells.financialYear);
    for (const column of FIGURE_COLUMNS) if (cells[column]) cells[column] = figureInUnit(cells[column], unit);
    if (cells.tolerancePercent) cells.tolerancePercent = figureAsTyped(cells.tolerancePercent, { unit: 'percentage', decimalPlaces: 0 });
    return { row: row.row, cells };
  };
  return {
    ...file,
    kpis: kpis.map((row) => withFigures(row, row.cells.unit ?? '')),
    targets: (file.targets ?? []).map((row) => {
      const coded = inCodes(row, TARGET_CODED_COLUMNS);
      const id = row.cells.kpiId ?? '';
      return withFigures(coded, units.get(id.toLowerCase()) ?? unitOf(id) ?? '');
    }),
    people: file.people.map((row) => inCodes(row, PEOPLE_CODED_COLUMNS)),
  };
}

function inCodes(row: SheetRow, columns: Readonly<Record<string, CodedColumn>>): SheetRow {
  const cells: Record<string, string> = { ...row.cells };
  for (const [column, coded] of Object.entries(columns)) {
    const text = cells[column] ?? '';
    if (text === '') continue;
    if (coded.list) {
      const items = splitList(text).map((item) => codeOrText(item, coded.choices));
      cells[column] = items.join(`${LIST_SEPARATOR} `);
    } else {
      cells[column] = codeOrText(text, coded.choices);
    }
  }
  return { row: row.row, cells };
}

/**
 * A figure read with its unit. A row whose unit means nothing is refused for it; its figures are
 * still read with a % or a £ (the row is not imported either way), so that `40.0%` is not named
 * as a second problem that the unit's correction would cure.
 */
function figureInUnit(text: string, unit: string): string {
  if ((KPI_UNITS as readonly string[]).includes(unit)) return figureAsTyped(text, { unit: unit as KpiUnit, decimalPlaces: 0 });
  return figureAsTyped(figureAsTyped(text, { unit: 'percentage', decimalPlaces: 0 }), { unit: 'money', decimalPlaces: 0 });
}

function financialYearAsTyped(text: string): string {
  const read = reportingPeriodAsTyped(text);
  return isFinancialYear(read) ? read : text;
}

function codeOrText(text: string, choices: readonly Choice<string>[]): string {
  const reading = readChoice(text, choices);
  return isCellProblem(reading) ? text : reading.value;
}

function splitList(text: string): string[] {
  return text
    .split(LIST_SEPARATOR)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

/**
 * The coded cells of a row that mean nothing, by column, with what would be accepted. An empty
 * required cell is named too; an empty optional one is left to the rules that need it.
 */
export function choiceProblems(row: SheetRow, columns: Readonly<Record<string, CodedColumn>>): { column: string; problem: string }[] {
  const problems: { column: string; problem: string }[] = [];
  for (const [column, coded] of Object.entries(columns)) {
    const text = row.cells[column] ?? '';
    if (text === '' && !coded.required) continue;
    const items = coded.list ? splitList(text) : [text];
    if (coded.list && items.length === 0) items.push('');
    for (const item of items) {
      const reading = readChoice(item, coded.choices);
      if (isCellProblem(reading)) {
        problems.push({ column, problem: reading.problem });
        break;
      }
    }
  }
  return problems;
}

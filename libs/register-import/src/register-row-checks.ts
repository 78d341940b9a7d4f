/**
 * The checks of one register row that name every problem at once: each cell read by the domain's
 * own rules, a refused field set aside and the rules asked again (`everyValidationProblem`), so a
 * council corrects its file in one round. The planner runs them before it decides a row's
 * commands, and refuses the row with all they found.
 */
import {
  DomainError,
  KpiIdClashError,
  parseDecimal,
  parseFinancialYear,
  personDecider,
  requireWithinRange,
  SignInIdTakenError,
  validateKpiDescription,
  validateRatingModel,
  validateRatingPolicy,
  ValidationError,
  valueRangeOf,
  type CommandContext,
  type KpiDescription,
  type KpiRecord,
  type MeasureType,
  type Polarity,
  type ValueRange,
} from '@quarterly/domain';
import { acceptedChoices, everyValidationProblem, type SheetRow } from '@quarterly/spreadsheet-import';
import { POLICY_CHOICES } from './register-words';

/** Refusal of one row, carried to the report with its column. */
export class RowProblem extends Error {
  constructor(
    readonly column: string | null,
    readonly problem: string,
  ) {
    super(problem);
  }
}

/** What "vs last year" and the rated figure are for one KPI × year, as the file states them. */
export interface YearModel {
  ratedFigure?: string;
  lastYearBasis?: string;
}

export const POLICY_FIELDS = ['green', 'amber', 'target', 'tolerancePercent', 'direction'] as const;

export interface KpiRowData {
  readonly description: KpiDescription;
  readonly owner: string;
  readonly keyContacts: string[];
  readonly targets?: { readonly financialYear: string; readonly policy: Record<string, unknown>; readonly model: YearModel };
}

export interface PersonRowData {
  readonly name: string;
  readonly email: string;
  readonly roles: string[];
  readonly directorate?: string;
  readonly signInId?: string;
}

/** A description the domain accepts, whose fields stand in for refused ones while the rest are checked. */
const STAND_IN: Readonly<Record<string, unknown>> = {
  title: 'x',
  definition: 'x',
  directorate: 'x',
  serviceArea: 'x',
  planOutcome: 'x',
  unit: 'score',
  decimalPlaces: 0,
  polarity: 'higher_is_better',
  frequency: 'annual',
  measureType: 'in_period',
  dataSource: 'x',
  limitations: '',
  benchmarkSources: [],
  labels: 'green_amber_red',
};

/**
 * Every field of a KPIs row the domain refuses: its description (each field once), its financial
 * year, its targets against its polarity and range, its rated figure and basis. `named` columns
 * are refused already (a word that means nothing): they are not named again.
 */
export function kpiFieldProblems(row: SheetRow, data: KpiRowData, named: ReadonlySet<string | null>): unknown[] {
  const problems: unknown[] = [];
  const draft: Record<string, unknown> = { ...data.description };
  const columnOf = (field: string) => KPI_FIELD_COLUMNS[field] ?? field;
  const setAside = (field: string): boolean => {
    const key = field.replace(/\[\d+\]$/, '');
    if (key.startsWith('validRange') || key === 'annualDueQuarter' || key === 'unitLabel') {
      delete draft[key.replace(/\..*$/, '')];
      return true;
    }
    if (!(key in STAND_IN)) return false;
    draft[key] = STAND_IN[key];
    return true;
  };
  for (const column of ['unit', 'polarity', 'frequency', 'measureType', 'labels', 'annualDueQuarter']) if (named.has(column)) setAside(column);
  const described = everyValidationProblem(() => void validateKpiDescription(draft), setAside);
  problems.push(...described);
  const refused = new Set([...named, ...described.map((e) => (e instanceof ValidationError ? columnOf(e.field.replace(/\[\d+\]$/, '')) : null))]);
  if (data.targets) {
    const { financialYear, policy, model } = data.targets;
    try {
      parseFinancialYear(financialYear, 'financialYear');
    } catch (error) {
      problems.push(error);
    }
    const polarity = refused.has('polarity') ? undefined : (data.description.polarity as Polarity);
    const range = refused.has('unit') || refused.has('validMin') || refused.has('validMax') ? UNBOUNDED : rangeOf(draft);
    if (!refused.has('policy')) problems.push(...(polarity !== undefined ? policyProblems(policy, polarity, range) : targetFigureProblems(policy, range)));
    if (!refused.has('measureType')) {
      const own = { ratedFigure: row.cells.ratedFigure || undefined, lastYearBasis: row.cells.lastYearBasis || undefined };
      const stated = { ...own, ...model };
      problems.push(...modelProblems(stated, data.description.measureType as MeasureType, named));
    }
  }
  return problems;
}

const UNBOUNDED: ValueRange = { min: null, max: null };

/** The valid range of a description whose refused fields are set aside; unbounded when it still cannot be read. */
function rangeOf(description: Record<string, unknown>): ValueRange {
  try {
    return valueRangeOf(validateKpiDescription(description));
  } catch {
    return UNBOUNDED;
  }
}

/** Every problem of a Targets row's cells, checked against its KPI when the register or the file defines it. */
export function targetProblems(row: SheetRow, kpi: KpiRecord | undefined, named: ReadonlySet<string | null>): unknown[] {
  const c = row.cells;
  const problems: unknown[] = [];
  if ((c.financialYear ?? '') === '') problems.push(new RowProblem('financialYear', 'the financial year is empty (write it like 2026/27)'));
  else {
    try {
      parseFinancialYear(c.financialYear, 'financialYear');
    } catch (error) {
      problems.push(error);
    }
  }
  const kind = c.policy ?? '';
  if (kind === '' && !named.has('policy')) problems.push(new RowProblem('policy', `the policy is empty: write ${acceptedChoices(POLICY_CHOICES)}`));
  if (!kpi) return problems;
  if (kind !== '' && !named.has('policy')) {
    const policy: Record<string, unknown> = { kind };
    for (const field of POLICY_FIELDS) if ((c[field] ?? '') !== '') policy[field] = c[field];
    problems.push(...policyProblems(policy, kpi.polarity, valueRangeOf(kpi)));
  }
  problems.push(...modelProblems({ ratedFigure: c.ratedFigure || undefined, lastYearBasis: c.lastYearBasis || undefined }, kpi.measureType, named));
  return problems;
}

/** Every part of a target policy the domain refuses: each target once, then their order. */
function policyProblems(policy: Record<string, unknown>, polarity: Polarity, range: ValueRange): unknown[] {
  const draft = { ...policy };
  const decimal = (value: unknown) => {
    try {
      parseDecimal(value, 'x');
      requireWithinRange(value as string, range, 'x');
      return true;
    } catch {
      return false;
    }
  };
  const inRange = range.min ?? range.max ?? '0';
  return everyValidationProblem(
    () => void validateRatingPolicy(draft, polarity, 'policy', range),
    (field) => {
      switch (field) {
        case 'policy.green':
          draft.green = decimal(draft.amber) ? draft.amber : inRange;
          return true;
        case 'policy.amber':
          draft.amber = decimal(draft.green) ? draft.green : inRange;
          return true;
        case 'policy.target':
          draft.target = inRange;
          return true;
        case 'policy.tolerancePercent':
          draft.tolerancePercent = '0';
          return true;
        case 'policy.direction':
          draft.direction = 'increase';
          return true;
        default:
          return false;
      }
    },
  );
}

/** Without a polarity to order them by, each target figure alone: a decimal inside the range. */
function targetFigureProblems(policy: Record<string, unknown>, range: ValueRange): unknown[] {
  const problems: unknown[] = [];
  for (const field of ['green', 'amber', 'target', 'tolerancePercent'] as const) {
    if (policy[field] === undefined) continue;
    try {
      parseDecimal(policy[field], `policy.${field}`);
      if (field !== 'tolerancePercent') requireWithinRange(policy[field] as string, range, `policy.${field}`);
    } catch (error) {
      problems.push(error);
    }
  }
  return problems;
}

/** The rated figure and the basis of "vs last year" against the KPI's measure type, each once. */
function modelProblems(model: YearModel, measureType: MeasureType, named: ReadonlySet<string | null>): unknown[] {
  const draft: Record<string, unknown> = { ...model };
  for (const column of ['ratedFigure', 'lastYearBasis']) if (named.has(column)) delete draft[column];
  return everyValidationProblem(
    () => void validateRatingModel(draft, measureType),
    (field) => (field === 'ratedFigure' || field === 'lastYearBasis' ? delete draft[field] : false),
  );
}

/** Every field of a People row the directory refuses (each once), as a new registration would. */
export function personFieldProblems(data: PersonRowData, context: CommandContext): unknown[] {
  const draft: Record<string, unknown> = { ...data };
  return everyValidationProblem(
    () => void personDecider.decide({ type: 'RegisterPerson', personId: 'stand.in', data: draft as never, context }, personDecider.initialState),
    (field) => {
      const key = field.replace(/\[\d+\]$/, '');
      if (key === 'name') draft.name = 'x';
      else if (key === 'email') draft.email = 'stand.in@council.example';
      else if (key === 'roles') draft.roles = ['member'];
      else if (key === 'directorate' || key === 'signInId') delete draft[key];
      else return false;
      return true;
    },
  );
}

// ---- errors to columns ----------------------------------------------------------------------

/** Domain field names that are not column names. */
export const KPI_FIELD_COLUMNS: Readonly<Record<string, string>> = {
  'policy.kind': 'policy',
  'validRange.min': 'validMin',
  'validRange.max': 'validMax',
  validRange: 'validMin',
};
export const PERSON_FIELD_COLUMNS: Readonly<Record<string, string>> = {};

function problemOf(error: unknown, columns: Readonly<Record<string, string>>): { column: string | null; problem: string } {
  if (error instanceof RowProblem) return { column: error.column, problem: error.problem };
  if (error instanceof KpiIdClashError) return { column: 'kpiId', problem: error.message };
  if (error instanceof SignInIdTakenError) return { column: 'signInId', problem: `${error.signInId} is already the sign-in id of ${error.holderPersonId}` };
  if (error instanceof ValidationError) {
    const field = error.field.replace(/^changes\./, '').replace(/\[\d+\]$/, '');
    const column = columns[field] ?? field.replace(/^policy\./, '');
    return { column: column === 'data' || column === 'kpi' ? null : column, problem: plainReason(error.reason) };
  }
  if (error instanceof DomainError) return { column: null, problem: error.message };
  throw error;
}

/** Each problem an error carries: one, or every one of a row's (`RowProblems`). */
export function problemsOf(error: unknown, columns: Readonly<Record<string, string>>): readonly { readonly column: string | null; readonly problem: string }[] {
  if (error instanceof RowProblems) return error.problems;
  return [problemOf(error, columns)];
}

/** Every problem of one row, carried to the report together. */
class RowProblems extends Error {
  constructor(readonly problems: readonly { readonly column: string | null; readonly problem: string }[]) {
    super(problems.map((p) => p.problem).join('; '));
  }
}

/** The problems found in one row so far, by column; a column is named once. */
export class Found {
  private readonly problems: { column: string | null; problem: string }[] = [];
  constructor(private readonly fieldColumns: Readonly<Record<string, string>>) {}

  add(error: unknown): void {
    const found = problemOf(error, this.fieldColumns);
    if (!this.problems.some((p) => p.column === found.column && p.problem === found.problem)) this.problems.push(found);
  }

  /** `skipNamed`: a column named already (a word that means nothing) is not named again by a later rule. */
  addAll(errors: readonly unknown[], skipNamed = false): void {
    const named = this.columns_();
    for (const error of errors) {
      const found = problemOf(error, this.fieldColumns);
      if (skipNamed && found.column !== null && named.has(found.column)) continue;
      this.add(error);
    }
  }

  attempt(check: () => void): void {
    try {
      check();
    } catch (error) {
      this.add(error);
    }
  }

  /** The columns named so far. */
  named(): ReadonlySet<string | null> {
    return this.columns_();
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new RowProblems(this.problems);
  }

  private columns_(): Set<string | null> {
    return new Set(this.problems.map((p) => p.column));
  }
}

function plainReason(reason: string): string {
  return reason.replace(/^must be text$/, 'is empty').replace(/^must not be empty$/, 'is empty').replace(/^must be one of /, 'must be one of: ');
}

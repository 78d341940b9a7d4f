/**
 * Plans a past-figures import: every row of the file becomes an `ImportFigure` command on its
 * return stream (and an `ImportCycle` on each past quarter not yet brought in), decided in memory
 * against the streams as they stand, so the dry run and the apply take the same decisions. A row is
 * new, unchanged (imported already) or refused, with the row, the column and the problem in plain
 * English. Each row also says how the engine rates the figure under the targets of its period and
 * where that differs from what the council printed.
 */
import {
  comparePeriodIds,
  comparisonPeriods,
  cycleDecider,
  cycleOfReportedPeriod,
  cycleStreamId,
  decimalsEqual,
  directionOfTravel,
  DomainError,
  enteredFigureOf,
  figureAsTyped,
  isKpiId,
  lastDayOfPeriod,
  parseReportingPeriod,
  reportingPeriodAsTyped,
  printedDirectionOf,
  printedStatusOf,
  returnDecider,
  returnKpiSnapshotOf,
  returnStreamId,
  sameDirection,
  ValidationError,
  type CommandContext,
  type CycleCommand,
  type Direction,
  type KpiRecord,
  type MonthlyValue,
  type PeriodId,
  type RatingStatus,
  type ReturnCommand,
  type RequestedReturn,
  type ReturnEvent,
} from '@quarterly/domain';
import type { RecordedEvent } from '@quarterly/event-store';
import { everyValidationProblem, isCellProblem, readCalendarDate, type ImportProblem, type SheetRow } from '@quarterly/spreadsheet-import';
import type { PastFiguresFileContent } from './past-figures-file.reader';
import type { PastFiguresSnapshot } from './past-figures-snapshot';
import { FIGURE_COLUMNS, FIGURES_SHEET, MONTH_SEPARATOR } from './past-figures-template';
import { targetsForPeriod } from './targets-for-period';

export type FigureRowOutcome = 'new' | 'unchanged' | 'refused';

/** A refusal; `currentState` is set when a stream's state refuses the row (a live cycle, a figure imported already). */
export interface PastFiguresProblem extends ImportProblem {
  readonly currentState?: string;
}

/** Where the engine's verdict and the printed one part. */
export interface PrintedDifference {
  readonly what: 'status' | 'directionPrevious' | 'directionLastYear';
  /** As printed. */
  readonly published: string;
  /** The engine's (a status, or a direction), or null when it gives none (no target, no figure to compare with). */
  readonly engine: string | null;
}

export interface FigureRowReport {
  readonly sheet: string;
  readonly row: number;
  readonly kpiId: string;
  readonly period: string;
  readonly outcome: FigureRowOutcome;
  /** The events the row leads to (`CycleImported` for the first row of a past quarter, `ReturnFigureImported`). */
  readonly events: readonly string[];
  /** The figure as it will be stored (normalised), null for "not available" or a refused row. */
  readonly value: string | null;
  /** The engine's rating under the targets of the period, and its directions of travel. */
  readonly engine: {
    readonly status: RatingStatus | null;
    readonly label: string | null;
    readonly directionPrevious: Direction | null;
    readonly directionLastYear: Direction | null;
  } | null;
  readonly published: { readonly status: string | null; readonly directionPrevious: string | null; readonly directionLastYear: string | null };
  readonly differences: readonly PrintedDifference[];
}

export interface PastFiguresSummary {
  readonly new: number;
  readonly unchanged: number;
  readonly refused: number;
  /** Rows (new or unchanged) where the engine's status or a direction differs from the printed one. */
  readonly differing: number;
}

/** One command on one stream, decided against the events the plan read (handed to the executor). */
export type PlannedFigureStream =
  | { readonly streamId: string; readonly kind: 'cycle'; readonly loaded: readonly RecordedEvent[]; readonly command: CycleCommand }
  | { readonly streamId: string; readonly kind: 'return'; readonly loaded: readonly RecordedEvent[]; readonly command: ReturnCommand };

export interface PastFiguresPlan {
  readonly fileName: string;
  readonly sha256: string;
  readonly rows: readonly FigureRowReport[];
  readonly problems: readonly PastFiguresProblem[];
  readonly summary: PastFiguresSummary;
  /** Past quarters first (a return's quarter exists before its figure), then the figures, in file order. */
  readonly streams: readonly PlannedFigureStream[];
}

export interface PastFiguresPlanOptions {
  readonly fileName: string;
  readonly sha256: string;
  /** The importing person (performance team) and the moment of the import. */
  readonly context: CommandContext;
}

/** Every refusal of one row, carried to the report together. */
class RowProblems extends Error {
  constructor(readonly problems: readonly RowProblem[]) {
    super(problems.map((p) => p.problem).join('; '));
  }
}

/** A refusal of one row, carried to the report with its column. */
class RowProblem extends Error {
  constructor(
    readonly column: string | null,
    readonly problem: string,
    readonly currentState?: string,
  ) {
    super(problem);
  }
}

export function planPastFiguresImport(file: PastFiguresFileContent, current: PastFiguresSnapshot, options: PastFiguresPlanOptions): PastFiguresPlan {
  const problems: PastFiguresProblem[] = [...file.problems];
  const rows: FigureRowReport[] = [];
  const returnStreams: PlannedFigureStream[] = [];
  const rowsWithFileProblems = new Set(file.problems.filter((p) => p.row !== null).map((p) => p.row));
  // A header that is wrong (a missing or unknown column) makes every row unreadable.
  const brokenHeader = file.problems.some((p) => p.column !== null && p.row === 1);
  const kpisByKey = new Map([...current.kpis.values()].flatMap(({ state }) => (state.status === 'not_defined' ? [] : [[state.kpi.kpiId.toLowerCase(), state.kpi] as const])));

  // The standing figure of every KPI × period: the store's, then the file's (for directions of travel
  // and direction targets, which compare with the figure before).
  const figures = new Map<string, string | null>();
  for (const { state } of current.returns.values()) {
    if (state.status === 'not_requested') continue;
    if (state.status === 'approved' || state.history.some((entry) => entry.kind === 'approved' || entry.kind === 'imported')) {
      figures.set(`${state.request.kpiId}|${state.request.periodCovered}`, state.approvedValue);
    }
  }
  for (const row of file.rows) {
    const kpi = kpisByKey.get((row.cells.kpiId ?? '').toLowerCase());
    const key = `${kpi?.kpiId}|${reportingPeriodAsTyped(row.cells.period ?? '')}`;
    if (!kpi || figures.has(key) || (row.cells.value ?? '') === '') continue;
    try {
      figures.set(key, enteredFigureOf(figureAsTyped(row.cells.value ?? '', kpi), kpi, 'value').value);
    } catch {
      // Refused below with its reason.
    }
  }

  const seen = new Map<string, number>();
  const newRowsByCycle = new Map<PeriodId, { publishedOn: string }[]>();
  const refuse = (row: SheetRow, kpiId: string, errors: readonly RowProblem[]) => {
    for (const error of errors) {
      problems.push({ sheet: FIGURES_SHEET, row: row.row, column: error.column, problem: error.problem, ...(error.currentState ? { currentState: error.currentState } : {}) });
    }
    rows.push({ sheet: FIGURES_SHEET, row: row.row, kpiId, period: row.cells.period ?? '', outcome: 'refused', events: [], value: null, engine: null, published: printedOf(row), differences: [] });
  };

  for (const row of file.rows) {
    const c = row.cells;
    const kpiId = c.kpiId ?? '';
    if (brokenHeader || rowsWithFileProblems.has(row.row)) {
      rows.push({ sheet: FIGURES_SHEET, row: row.row, kpiId, period: c.period ?? '', outcome: 'refused', events: [], value: null, engine: null, published: printedOf(row), differences: [] });
      continue;
    }
    try {
      // Every problem of the row at once: its cells first, then where it stands against the store.
      const checked = checkedRow(row, kpisByKey, options);
      const found = [...checked.problems];
      const { kpi, cycleId, request } = checked;
      const cycle = cycleId ? current.cycles.get(cycleStreamId(cycleId)) : undefined;
      if (kpi && cycleId && request) {
        if (kpi.retiredFrom !== null && comparePeriodIds(kpi.retiredFrom, cycleId) <= 0) {
          found.push(new RowProblem('period', `${kpi.kpiId} is retired from ${kpi.retiredFrom}: it had no figure for ${request.periodCovered}`));
        }
        const key = `${kpi.kpiId}|${request.periodCovered}`;
        const earlier = seen.get(key);
        if (earlier !== undefined) found.push(new RowProblem('period', `${kpi.kpiId}'s ${request.periodCovered} figure is also on row ${earlier}`));
        else seen.set(key, row.row);
        if (cycle && (cycle.state.status === 'open' || cycle.state.status === 'closed')) {
          found.push(
            new RowProblem(
              'period',
              `${cycleId} is a live cycle in Quarterly (${cycle.state.status}): its figures are reported there, and corrected by a restatement`,
              cycle.state.status,
            ),
          );
        }
      }
      if (found.length > 0 || !kpi || !cycleId || !request || !checked.command) throw new RowProblems(found);
      const state = current.kpis.get(kpi.kpiId)!.state;
      const printed = checked.printed!;
      const periods = comparisonPeriods(request.periodCovered, kpi.frequency, kpi.measureType);
      const previousValue = periods.previous === null ? null : (figures.get(`${kpi.kpiId}|${periods.previous}`) ?? null);
      const streamId = returnStreamId(kpi.kpiId, cycleId);
      const existing = current.returns.get(streamId);
      const command: ReturnCommand = {
        ...checked.command,
        data: { ...checked.command.data, policy: targetsForPeriod(state, request.periodCovered), previousValue, underQualityAssuranceUntil: kpi.underQualityAssuranceUntil },
      };
      // Decided against an untouched return: checks every field even for a row imported already.
      const [decided] = returnDecider.decide(command, returnDecider.initialState) as Extract<ReturnEvent, { type: 'ReturnFigureImported' }>[];
      const figure = decided!.data;
      let outcome: FigureRowOutcome = 'new';
      if (existing && existing.state.status !== 'not_requested') {
        const imported = existing.state.imported;
        if (!imported) throw new RowProblem('period', `${kpi.kpiId}'s ${request.periodCovered} return is ${existing.state.status} in a live cycle`, existing.state.status);
        const same =
          imported.sha256 === options.sha256 ||
          (sameFigure(existing.state.approvedValue, figure.value) &&
            imported.published.publishedOn === figure.published.publishedOn &&
            imported.published.sourceDocument === figure.published.sourceDocument);
        if (!same) {
          throw new RowProblem(
            'value',
            `${kpi.kpiId}'s ${request.periodCovered} figure was imported from ${imported.fileName} (published ${imported.published.publishedOn}); correct it with a restatement`,
            'imported',
          );
        }
        outcome = 'unchanged';
      }
      const engine = {
        status: figure.rating.status,
        label: figure.rating.label,
        directionPrevious: periods.previous === null ? null : directionOfTravel(figure.value, previousValue, kpi.polarity),
        directionLastYear: directionOfTravel(figure.value, figures.get(`${kpi.kpiId}|${periods.lastYear}`) ?? null, kpi.polarity),
      };
      const differences: PrintedDifference[] = [];
      if (printed.status !== null && printed.status !== engine.status) differences.push({ what: 'status', published: c.publishedStatus!, engine: engine.label });
      if (printed.directionPrevious !== null && !sameDirection(printed.directionPrevious, engine.directionPrevious)) {
        differences.push({ what: 'directionPrevious', published: c.publishedDirectionPrevious!, engine: engine.directionPrevious });
      }
      if (printed.directionLastYear !== null && !sameDirection(printed.directionLastYear, engine.directionLastYear)) {
        differences.push({ what: 'directionLastYear', published: c.publishedDirectionLastYear!, engine: engine.directionLastYear });
      }
      const events: string[] = [];
      if (outcome === 'new') {
        const cycleRows = newRowsByCycle.get(cycleId) ?? [];
        if (cycleRows.length === 0 && !cycle) events.push('CycleImported');
        cycleRows.push({ publishedOn: figure.published.publishedOn });
        newRowsByCycle.set(cycleId, cycleRows);
        events.push('ReturnFigureImported');
        returnStreams.push({ streamId, kind: 'return', loaded: existing?.events ?? [], command });
      }
      rows.push({ sheet: FIGURES_SHEET, row: row.row, kpiId: kpi.kpiId, period: request.periodCovered, outcome, events, value: figure.value, engine, published: printedOf(row), differences });
    } catch (error) {
      refuse(row, kpiId, error instanceof RowProblems ? error.problems : [asRowProblem(error)]);
    }
  }

  // Each past quarter not yet brought in, dated by the earliest publication of its figures.
  const cycleStreams: PlannedFigureStream[] = [];
  for (const [cycleId, cycleRows] of [...newRowsByCycle].sort(([a], [b]) => comparePeriodIds(a, b))) {
    const streamId = cycleStreamId(cycleId);
    if (current.cycles.has(streamId)) continue;
    const publicationDate = cycleRows.map((r) => r.publishedOn).sort()[0]!;
    const command: CycleCommand = { type: 'ImportCycle', cycleId, data: { publicationDate, fileName: options.fileName, sha256: options.sha256 }, context: options.context };
    cycleDecider.decide(command, cycleDecider.initialState);
    cycleStreams.push({ streamId, kind: 'cycle', loaded: [], command });
  }

  const count = (outcome: FigureRowOutcome) => rows.filter((row) => row.outcome === outcome).length;
  return {
    fileName: options.fileName,
    sha256: options.sha256,
    rows: rows.sort((a, b) => a.row - b.row),
    problems: problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0) || columnIndex(a.column) - columnIndex(b.column)),
    summary: { new: count('new'), unchanged: count('unchanged'), refused: count('refused'), differing: rows.filter((r) => r.differences.length > 0).length },
    streams: [...cycleStreams, ...returnStreams],
  };
}

/** A row's cells read and checked, every problem named; the command when they are all good. */
interface CheckedRow {
  readonly problems: readonly RowProblem[];
  readonly kpi?: KpiRecord;
  readonly cycleId?: PeriodId;
  readonly request?: RequestedReturn;
  readonly printed?: { readonly status: RatingStatus | null; readonly directionPrevious: Direction | null; readonly directionLastYear: Direction | null };
  /** Without the store's facts (the period's targets, the previous figure): the planner adds them. */
  readonly command?: ImportFigureCommand;
}

type ImportFigureCommand = Extract<ReturnCommand, { type: 'ImportFigure' }>;

/**
 * Reads every cell of a row and checks it by the domain's rules, naming each problem with its
 * column: the KPI, the period, the date (as councils write it, read by the shared reader), the
 * printed words, the months, then whatever the import decider refuses (each figure, the source,
 * the publication date against the period), asked once per field (`everyValidationProblem`).
 */
function checkedRow(row: SheetRow, kpis: ReadonlyMap<string, KpiRecord>, options: PastFiguresPlanOptions): CheckedRow {
  const c = row.cells;
  const problems: RowProblem[] = [];
  const attempt = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      problems.push(asRowProblem(error));
      return undefined;
    }
  };
  const kpi = attempt(() => kpiOf(c.kpiId ?? '', kpis));
  // `2023/24 Q2`, `Q2 2023-24` are `2023/24-Q2`, as the pages read a typed quarter.
  const period = reportingPeriodAsTyped(c.period ?? '');
  const where = kpi ? attempt(() => cycleOfReportedPeriod(kpi, period)) : attempt(() => void parseReportingPeriod(period, 'period'));
  const date = readCalendarDate(c.publishedOn ?? '');
  if (isCellProblem(date)) problems.push(new RowProblem('publishedOn', date.problem));
  // Without the KPI the words are still checked (the polarity only says which way a rise is better).
  const polarity = kpi?.polarity ?? 'higher_is_better';
  const status = attempt(() => printedStatusOf(c.publishedStatus, 'publishedStatus'));
  const directionPrevious = attempt(() => printedDirectionOf(c.publishedDirectionPrevious, polarity, 'publishedDirectionPrevious'));
  const directionLastYear = attempt(() => printedDirectionOf(c.publishedDirectionLastYear, polarity, 'publishedDirectionLastYear'));
  const monthlyValues = attempt(() => monthlyValuesOf(c.monthlyValues ?? ''));
  if (kpi && !where) {
    // No return to check the row against, but the KPI still says what a figure of it can be.
    for (const field of ['value', 'inPeriodValue', 'yearToDateValue'] as const) {
      const typed = c[field];
      if (typed) attempt(() => enteredFigureOf(figureAsTyped(typed, kpi), kpi, field));
    }
  }
  if (!kpi || !where) return { problems };
  const { cycleId, request } = where;
  const command: ImportFigureCommand = {
    type: 'ImportFigure',
    returnId: request.returnId,
    data: {
      cycleId,
      request,
      kpi: returnKpiSnapshotOf(kpi),
      // Figures as the pages and papers print them (`27.3%`, `£1,250`, `1,702`) are read with the KPI's unit.
      value: c.value === '' || c.value === undefined ? null : figureAsTyped(c.value, kpi),
      ...(c.inPeriodValue ? { inPeriodValue: figureAsTyped(c.inPeriodValue, kpi) } : {}),
      ...(c.yearToDateValue ? { yearToDateValue: figureAsTyped(c.yearToDateValue, kpi) } : {}),
      monthlyValues: (monthlyValues ?? []).map((month) => ({ ...month, value: figureAsTyped(month.value, kpi) })),
      ...(c.notAvailableReason ? { notAvailableReason: c.notAvailableReason } : {}),
      commentary: c.commentary ?? '',
      published: {
        sourceDocument: c.sourceDocument ?? '',
        publishedOn: isCellProblem(date) ? '' : date.value,
        ...(c.publishedStatus ? { status: c.publishedStatus } : {}),
        ...(c.publishedDirectionPrevious ? { directionPrevious: c.publishedDirectionPrevious } : {}),
        ...(c.publishedDirectionLastYear ? { directionLastYear: c.publishedDirectionLastYear } : {}),
      },
      fileName: options.fileName,
      sha256: options.sha256,
      policy: null,
      previousValue: null,
      underQualityAssuranceUntil: null,
    },
    context: options.context,
  };
  // The decider's own checks, once per field; a column whose cell is refused above is not named twice.
  const draft: Record<string, unknown> & { published: Record<string, unknown> } = { ...command.data, published: { ...command.data.published } };
  const named = new Set(problems.map((p) => p.column));
  const setAside = (field: string): boolean => {
    switch (field) {
      case 'value':
        draft.value = null;
        draft.notAvailableReason = 'set aside';
        return true;
      case 'inPeriodValue':
      case 'yearToDateValue':
      case 'notAvailableReason':
        delete draft[field];
        return true;
      case 'monthlyValues':
        draft.monthlyValues = [];
        return true;
      case 'commentary':
        draft.commentary = '';
        return true;
      case 'sourceDocument':
        draft.published.sourceDocument = 'set aside';
        return true;
      case 'publishedOn':
        draft.published.publishedOn = dayAfter(lastDayOfPeriod(request.periodCovered));
        return true;
      case 'publishedStatus':
      case 'publishedDirectionPrevious':
      case 'publishedDirectionLastYear':
        delete draft.published[{ publishedStatus: 'status', publishedDirectionPrevious: 'directionPrevious', publishedDirectionLastYear: 'directionLastYear' }[field]];
        return true;
      default:
        return false;
    }
  };
  if (named.has('publishedOn')) setAside('publishedOn');
  const refused = everyValidationProblem(() => void returnDecider.decide({ ...command, data: draft as unknown as ImportFigureCommand['data'] }, returnDecider.initialState), setAside);
  for (const error of refused) {
    const problem = asRowProblem(error);
    if (!named.has(problem.column)) problems.push(problem);
  }
  if (problems.length > 0) return { problems, kpi, cycleId, request };
  return { problems, kpi, cycleId, request, printed: { status: status ?? null, directionPrevious: directionPrevious ?? null, directionLastYear: directionLastYear ?? null }, command };
}

/** The day after a date, `YYYY-MM-DD`. */
function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}

function kpiOf(kpiId: string, kpis: ReadonlyMap<string, KpiRecord>): KpiRecord {
  if (kpiId === '') throw new RowProblem('kpiId', 'the KPI id is empty');
  if (!isKpiId(kpiId)) throw new RowProblem('kpiId', `"${kpiId}" is not a KPI id (letters, digits, . _ -; at most 32)`);
  const kpi = kpis.get(kpiId.toLowerCase());
  if (!kpi) throw new RowProblem('kpiId', `there is no KPI ${kpiId} in the register: import the register first`);
  if (kpi.kpiId !== kpiId) throw new RowProblem('kpiId', `the register writes it ${kpi.kpiId}`);
  return kpi;
}

/** `2023-07=12.0; 2023-08=13.1` → the months given (the domain checks they belong to the period). */
function monthlyValuesOf(text: string): MonthlyValue[] {
  if (text.trim() === '') return [];
  return text
    .split(MONTH_SEPARATOR)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => {
      const match = /^(\d{4}-\d{2})\s*=\s*(\S+)$/.exec(part);
      if (!match) throw new RowProblem('monthlyValues', `"${part}" is not a month and its figure, like 2023-07=12.0`);
      return { month: match[1]!, value: match[2]! };
    });
}

function printedOf(row: SheetRow): FigureRowReport['published'] {
  const text = (value: string | undefined) => (value === undefined || value === '' ? null : value);
  return {
    status: text(row.cells.publishedStatus),
    directionPrevious: text(row.cells.publishedDirectionPrevious),
    directionLastYear: text(row.cells.publishedDirectionLastYear),
  };
}

/** Problems of a row in the order of the template's columns (the row as a whole first). */
function columnIndex(column: string | null): number {
  return column === null ? -1 : FIGURE_COLUMNS.findIndex((c) => c.name === column);
}

function sameFigure(a: string | null, b: string | null): boolean {
  return a === null || b === null ? a === b : decimalsEqual(a, b);
}

/** Domain field names are the file's column names; a few say it in other words. */
function asRowProblem(error: unknown): RowProblem {
  if (error instanceof RowProblem) return error;
  if (error instanceof ValidationError) {
    const column = error.field.replace(/\[\d+\]$/, '').replace(/\..*$/, '');
    const known = column === 'data' || column === 'kpi' || column === 'request' || column === 'returnId' ? null : column;
    const reason = error.reason.replace(/^must not be empty$/, 'is empty').replace(/^must be text$/, 'is empty');
    return new RowProblem(known, reason);
  }
  if (error instanceof DomainError) return new RowProblem(null, error.message);
  throw error;
}

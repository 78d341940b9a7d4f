import { localDateOf } from '@quarterly/calendar';
import {
  comparisonPeriods,
  Direction,
  directionOfTravel,
  figureOfMeasure,
  Frequency,
  KpiYearTargets,
  LastYearBasis,
  LastYearDirection,
  lastYearDirection,
  lastYearReferenceOf,
  MeasureType,
  parseReportingPeriod,
  periodStartsYear,
  targetsInForce,
  NoStatusReason,
  parsePeriodId,
  Polarity,
  previousQuarter,
  Rating,
  RatingPolicy,
  RatingStatus,
  ScorecardSummary,
  summariseScorecard,
} from '@quarterly/domain';
import { Kysely, Selectable } from 'kysely';
import { HistoryReturnTable, ReadModelSchema } from '../database/read-model-schema';
import { fromJson, toInstant, toNumber } from '../shared/column-values';
import { deepFreeze } from '../shared/deep-freeze';
import { ImportedFigureNote, REPORTED_KINDS, STANDING_KINDS } from '../value-history/value-history.projection';
import { CycleHistory, CycleValueRow, keptCycleHistory, keptRegisterHistory, RegisterHistory } from './cycle-history.cache';
import { KeptComputation, keptScorecard, readScorecardInputs, ScorecardInputs } from './scorecard.cache';

/**
 * Why a KPI due in the quarter shows no approved figure:
 * - `not_yet_due`: nothing has been submitted and the return's due date (as it stood then) has
 *   not passed;
 * - `overdue`: nothing has been submitted and the due date has passed (Europe/London dates);
 * - `awaiting_approval`: a figure (or "not available") was submitted or is being challenged;
 * - `not_available`: the DMT approved that no figure is available.
 */
export type NoFigureReason = 'not_yet_due' | 'overdue' | 'awaiting_approval' | 'not_available';

/** A figure of an earlier period, for trends and comparisons. */
export interface PeriodFigure {
  readonly cycleId: string;
  readonly periodCovered: string;
  readonly value: string | null;
  readonly status: RatingStatus | null;
  /** The in-period and year-to-date figures approved beside the headline, when given. */
  readonly inPeriodValue?: string | null;
  readonly yearToDateValue?: string | null;
  /** The measure the headline is (the rating's rated figure, else the KPI's measure type). */
  readonly ratedMeasure?: MeasureType;
}

export interface ScorecardEntry {
  readonly kpiId: string;
  readonly returnId: string;
  readonly title: string;
  readonly directorate: string;
  readonly planOutcome: string | null;
  readonly unit: string;
  readonly decimalPlaces: number;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly measureType: MeasureType;
  /** The free-text unit label figures are displayed with ("µg/m³"), when the KPI states one. */
  readonly unitLabel: string | null;
  /** The measure rated: the year's `ratedFigure`, else the KPI's measure type. */
  readonly ratedFigure: MeasureType;
  readonly periodCovered: string;
  /** The latest approved figure as at the scorecard's instant; null without one. */
  readonly value: string | null;
  /** The in-period and year-to-date figures approved beside it, when given. */
  readonly inPeriodValue: string | null;
  readonly yearToDateValue: string | null;
  readonly noFigureReason: NoFigureReason | null;
  /** The status stored when the figure was approved: never re-rated. */
  readonly status: RatingStatus | null;
  readonly label: string | null;
  readonly noStatusReason: NoStatusReason | null;
  readonly rating: Rating | null;
  /** The policy the figure was rated against; before approval, the register's policy for the year. */
  readonly target: RatingPolicy | null;
  /** Who approved the figure; null for a figure imported as published (nobody approved it here). */
  readonly approvedBy: string | null;
  /** When it was approved; for an imported figure, the start of the day it was published. */
  readonly approvedAt: string | null;
  /**
   * Set when the figure was imported as the council published it: the file, the paper, what the
   * council printed, and `importedLater` when the import ran after the scorecard's instant (the
   * figure had been published by then, but Quarterly learnt it later).
   */
  readonly imported: (ImportedFigureNote & { readonly importedLater: boolean }) | null;
  /** True when a newer figure (a resubmission or restatement) awaits approval. */
  readonly changePending: boolean;
  readonly commentary: string | null;
  readonly offTargetReason: string | null;
  readonly routeToGreen: string | null;
  /** The KPI's approved figures of the previous four quarters' cycles in which it was due, oldest first. */
  readonly recentPeriods: readonly PeriodFigure[];
  readonly previous: PeriodFigure | null;
  /** Last year's figure the direction compares with (the same period, or last year's final one). */
  readonly lastYear: PeriodFigure | null;
  readonly directionVsPrevious: Direction | null;
  readonly directionVsLastYear: Direction | null;
  /**
   * The comparison with last year on the basis the KPI states for the year: which basis, the label
   * printed beside the arrow ("vs 2023/24 outturn"), the figure compared with (for pro rata the
   * share, rounded) and, without a direction, why. Null when the period cannot be compared.
   */
  readonly vsLastYear: LastYearDirection | null;
}

export type ScorecardGrouping = 'directorate' | 'plan_outcome';

export interface Scorecard {
  readonly cycleId: string;
  /** The instant the scorecard is "as at": only what was recorded by then counts. */
  readonly asAt: string;
  readonly entries: readonly ScorecardEntry[];
  readonly groupBy: ScorecardGrouping;
  readonly groups: ReadonlyArray<{ readonly key: string; readonly entries: readonly ScorecardEntry[] }>;
  readonly summary: ScorecardSummary;
}

export interface ScorecardOptions {
  /** @defaultValue the current instant */
  readonly asAt?: Date | string;
  /** @defaultValue 'directorate' */
  readonly groupBy?: ScorecardGrouping;
}

/**
 * The scorecard of a quarter as it stood at `asAt`, computed from the value history: each KPI
 * due in the quarter with its latest approved figure, its stored rating, recent figures and
 * direction of travel, and the summary. Ordered by directorate (or plan outcome), then KPI.
 * Kept while the rows it reads do not change (`scorecard.cache.ts`: a new input of the
 * scorecard must be added there).
 */
export async function getScorecard(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  options: ScorecardOptions = {},
): Promise<Scorecard> {
  const asAt = toInstant(options.asAt ?? new Date());
  const groupBy = options.groupBy ?? 'directorate';
  const { financialYear } = parsePeriodId(cycleId, 'cycleId');
  return keptScorecard(
    db,
    `${cycleId}|${groupBy}`,
    asAt,
    () => readScorecardInputs(db, comparedCycles(cycleId), asAt),
    (inputs, kept) => computeScorecard(db, cycleId, asAt, groupBy, financialYear, inputs, kept),
    (scorecard, at) => ({ ...scorecard, asAt: at }),
  );
}

/**
 * The entries of `kept` (a scorecard of the same rows, computed as at an instant after all of
 * them) that a scorecard as at `asAt` shares, by return id: every input of an entry is a row of
 * its KPI (its returns, their value history and due dates in the five cycles, its targets and plan
 * outcome), folded as at the instant; when none of its KPI's rows was recorded after `asAt`, the
 * fold is the same. Made again whatever its rows: an imported figure (`importedLater` compares
 * with the instant) and, on another London date, a figure not yet due or overdue. Undefined (all
 * made again) when a row after the instant cannot be tied to a KPI.
 */
function unchangedEntries(
  kept: KeptComputation<Scorecard>,
  cycles: readonly CycleHistory[],
  register: RegisterHistory,
  asAt: string,
): Map<string, ScorecardEntry> | undefined {
  const changed = new Set<string>();
  for (const cycle of cycles) {
    const kpiOf = kpisByReturn(cycle);
    for (const ret of cycle.returns) if (ret.requested_at > asAt) changed.add(ret.kpi_id);
    for (const rows of [cycle.values, cycle.dueDates]) {
      for (const row of rows) {
        if (row.recorded_at <= asAt) continue;
        const kpiId = kpiOf.get(row.return_id);
        if (kpiId === undefined) return undefined;
        changed.add(kpiId);
      }
    }
  }
  for (const row of register.targets) if (row.recorded_at > asAt) changed.add(row.kpi_id);
  for (const row of register.planOutcomes) if (row.recorded_at > asAt) changed.add(row.kpi_id);
  const sameDate = kept.localDate === localDateOf(asAt);
  const unchanged = new Map<string, ScorecardEntry>();
  for (const entry of kept.value.entries) {
    if (changed.has(entry.kpiId) || entry.imported !== null) continue;
    if (!sameDate && (entry.noFigureReason === 'overdue' || entry.noFigureReason === 'not_yet_due')) continue;
    unchanged.set(entry.returnId, entry);
  }
  return unchanged;
}

const returnKpis = new WeakMap<CycleHistory, Map<string, string>>();
function kpisByReturn(cycle: CycleHistory): Map<string, string> {
  let kpis = returnKpis.get(cycle);
  if (!kpis) {
    kpis = new Map(cycle.returns.map((ret) => [ret.return_id, ret.kpi_id] as const));
    returnKpis.set(cycle, kpis);
  }
  return kpis;
}

/** The quarter and the four before it: every comparison (previous period, last year, the trend) lies in them. */
function comparedCycles(cycleId: string): string[] {
  const cycles = [cycleId];
  for (let i = 0; i < 4; i += 1) cycles.push(previousQuarter(cycles[cycles.length - 1]!));
  return cycles;
}

async function computeScorecard(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  asAt: string,
  groupBy: ScorecardGrouping,
  financialYear: string,
  inputs: ScorecardInputs,
  kept?: KeptComputation<Scorecard>,
): Promise<Scorecard> {
  // Every comparison (previous period, same period last year, the trend) lies in this cycle or
  // the four before it: six-monthly and annual figures are collected in a quarter's cycle too.
  const cycles = comparedCycles(cycleId);
  const [own, ...earlier] = await Promise.all(inputs.cycles.map((stamp) => keptCycleHistory(db, stamp)));
  const due = own!.returns.filter((ret) => ret.requested_at <= asAt).sort((a, b) => compareText(a.kpi_id, b.kpi_id));
  const kpiIds = new Set(due.map((r) => r.kpi_id));
  const history = HistoryAsAt.of(own!, earlier, asAt);
  // The register as it stood at asAt: its target and plan outcome may have changed since.
  const register = await keptRegisterHistory(db, inputs.register);
  const kpis = planOutcomesAsAt(register, kpiIds, asAt);
  const years = [...new Set([financialYear, ...due.map((ret) => safeFinancialYearOf(ret.period_covered) ?? financialYear)])];
  const targets = targetsAsAt(register, kpiIds, years, asAt);

  // A KPI nothing of which was recorded after the instant has the entry the kept scorecard of the
  // same rows gives it (see unchangedEntries): only the others are made again.
  const unchanged = kept ? unchangedEntries(kept, [own!, ...earlier], register, asAt) : undefined;
  const entries = due.map((ret) => unchanged?.get(ret.return_id) ?? entryOf(ret));
  function entryOf(ret: Selectable<HistoryReturnTable>): ScorecardEntry {
    const figure = history.figureOf(ret.return_id);
    const measureType = ret.measure_type as MeasureType;
    const periodYear = safeFinancialYearOf(ret.period_covered) ?? financialYear;
    const yearTargets = targets.get(`${ret.kpi_id}|${periodYear}`) ?? null;
    // The register's statement for the year as at the instant; else what the rating recorded.
    const ratedFigure: MeasureType = yearTargets?.ratedFigure ?? figure.rating?.ratedFigure ?? measureType;
    const basis: LastYearBasis = yearTargets?.lastYearBasis ?? figure.rating?.lastYearBasis ?? 'same_period';
    const periods = safeComparisonPeriods(ret, ratedFigure);
    const previous = periods.previous === null ? null : history.figureFor(ret.kpi_id, periods.previous);
    const comparison = safeLastYearComparison(ret, ratedFigure, basis, figure.value, history);
    const lastYear = comparison?.lastYear ?? null;
    const recentPeriods: PeriodFigure[] = [];
    for (const cycle of cycles.slice(1)) {
      const earlier = history.figureInCycle(ret.kpi_id, cycle);
      if (earlier) recentPeriods.unshift(earlier);
    }
    const polarity = ret.polarity as Polarity;
    const entry: ScorecardEntry = {
      kpiId: ret.kpi_id,
      returnId: ret.return_id,
      title: ret.kpi_title,
      directorate: ret.directorate,
      planOutcome: kpis.get(ret.kpi_id) ?? null,
      unit: ret.unit,
      decimalPlaces: toNumber(ret.decimal_places),
      polarity,
      frequency: ret.frequency as Frequency,
      measureType,
      unitLabel: ret.unit_label ?? null,
      ratedFigure,
      periodCovered: ret.period_covered,
      ...figure,
      target: figure.rating?.policy ?? safeTargetsInForce(yearTargets, ret.period_covered, measureType),
      recentPeriods,
      previous,
      lastYear,
      directionVsPrevious: directionOfTravel(figure.value, previous?.value, polarity),
      directionVsLastYear: comparison?.vsLastYear.direction ?? null,
      vsLastYear: comparison?.vsLastYear ?? null,
    };
    return entry;
  }

  const keyOf = (e: ScorecardEntry): string => (groupBy === 'directorate' ? e.directorate : (e.planOutcome ?? ''));
  entries.sort((a, b) => compareText(keyOf(a), keyOf(b)) || compareText(a.kpiId, b.kpiId));
  const groups: Array<{ key: string; entries: ScorecardEntry[] }> = [];
  for (const entry of entries) {
    const key = keyOf(entry);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.entries.push(entry);
    else groups.push({ key, entries: [entry] });
  }
  return {
    cycleId,
    asAt,
    entries,
    groupBy,
    groups,
    summary: summariseScorecard(
      entries.map((e) => ({
        kpiId: e.kpiId,
        directorate: e.directorate,
        status: e.status,
        directionVsPrevious: e.directionVsPrevious,
        directionVsLastYear: e.directionVsLastYear,
      })),
    ),
  };
}

/** A KPI whose figure or status differs between two scorecards of the same quarter. */
export interface ScorecardChange {
  readonly kpiId: string;
  readonly title: string;
  /** `added`/`removed`: the KPI appears on only one of them (requested in between). */
  readonly change: 'added' | 'removed' | 'changed';
  readonly before: ScorecardFigureSnapshot | null;
  readonly after: ScorecardFigureSnapshot | null;
}

export interface ScorecardFigureSnapshot {
  readonly value: string | null;
  readonly status: RatingStatus | null;
  readonly label: string | null;
  readonly noFigureReason: NoFigureReason | null;
  readonly approvedAt: string | null;
}

/** What changed between two scorecards ("what did Cabinet see, and what changed since?"), by KPI id. */
export function diffScorecards(before: Scorecard, after: Scorecard): ScorecardChange[] {
  const figures = (card: Scorecard) => new Map(card.entries.map((e) => [e.kpiId, { title: e.title, figure: e }] as const));
  return diffFigures(figures(before), figures(after));
}

type ComparedFigure = Pick<ScorecardEntry, 'value' | 'status' | 'label' | 'noFigureReason' | 'approvedAt'>;

function diffFigures(
  earlier: ReadonlyMap<string, { readonly title: string; readonly figure: ComparedFigure }>,
  later: ReadonlyMap<string, { readonly title: string; readonly figure: ComparedFigure }>,
): ScorecardChange[] {
  const snapshot = (e: ComparedFigure): ScorecardFigureSnapshot => ({
    value: e.value,
    status: e.status,
    label: e.label,
    noFigureReason: e.noFigureReason,
    approvedAt: e.approvedAt,
  });
  const changes: ScorecardChange[] = [];
  for (const kpiId of [...new Set([...earlier.keys(), ...later.keys()])].sort(compareText)) {
    const a = earlier.get(kpiId);
    const b = later.get(kpiId);
    if (a && b) {
      if (a.figure.value !== b.figure.value || a.figure.status !== b.figure.status || a.figure.noFigureReason !== b.figure.noFigureReason) {
        changes.push({ kpiId, title: b.title, change: 'changed', before: snapshot(a.figure), after: snapshot(b.figure) });
      }
    } else if (b) {
      changes.push({ kpiId, title: b.title, change: 'added', before: null, after: snapshot(b.figure) });
    } else if (a) {
      changes.push({ kpiId, title: a.title, change: 'removed', before: snapshot(a.figure), after: null });
    }
  }
  return changes;
}

/**
 * The changes to a quarter's scorecard between `since` and `asAt` (default now): the same as
 * diffing the two scorecards, but reading only the quarter's own figures at each instant (a
 * change compares figures, not trends, targets or earlier quarters).
 */
export async function getScorecardChanges(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  options: { readonly since: Date | string; readonly asAt?: Date | string },
): Promise<{ since: string; asAt: string; changes: ScorecardChange[] }> {
  // Checked in the order the two whole scorecards checked them, so the same input gets the same error.
  const since = toInstant(options.since);
  parsePeriodId(cycleId, 'cycleId');
  const asAt = toInstant(options.asAt ?? new Date());
  const inputs = await readScorecardInputs(db, [cycleId], asAt);
  const own = await keptCycleHistory(db, inputs.cycles[0]!);
  return { since, asAt, changes: diffFigures(figuresAsAt(own, since), figuresAsAt(own, asAt)) };
}

/** Each KPI due in a quarter as at an instant, with its title and figure then. */
function figuresAsAt(own: CycleHistory, asAt: string): Map<string, { readonly title: string; readonly figure: ComparedFigure }> {
  const due = own.returns.filter((ret) => ret.requested_at <= asAt);
  const history = HistoryAsAt.of(own, [], asAt);
  return new Map(due.map((r) => [r.kpi_id, { title: r.kpi_title, figure: history.figureOf(r.return_id) }] as const));
}

type FigureColumns = Pick<
  ScorecardEntry,
  | 'value'
  | 'inPeriodValue'
  | 'yearToDateValue'
  | 'noFigureReason'
  | 'status'
  | 'label'
  | 'noStatusReason'
  | 'rating'
  | 'approvedBy'
  | 'approvedAt'
  | 'imported'
  | 'changePending'
  | 'commentary'
  | 'offTargetReason'
  | 'routeToGreen'
>;

/** The columns of a value-history row the scorecard reads for its quarter (not the monthly values or notes). */
type HistoryRow = CycleValueRow;

/** An earlier quarter's return: where its figure is looked up by period or cycle. */
type EarlierReturn = Pick<Selectable<HistoryReturnTable>, 'return_id' | 'kpi_id' | 'cycle_id' | 'period_covered'> &
  Partial<Pick<Selectable<HistoryReturnTable>, 'measure_type'>>;

/**
 * What a return's value history amounts to as at an instant, folded in position order: its
 * latest row, its latest approval and the last figure reported before that approval (whose
 * commentary the scorecard shows).
 */
interface ReturnFold<Row> {
  latest: Row;
  approved: Row | null;
  reportedBeforeApproval: Row | null;
  lastReported: Row | null;
}

const REPORTED = new Set<string>(REPORTED_KINDS);
const STANDING = new Set<string>(STANDING_KINDS);

/** Folds the rows recorded by `asAt` (and, with `standingOnly`, only approvals and imported figures) into `into`. */
function foldByReturn(rows: readonly HistoryRow[], asAt: string, standingOnly: boolean, into: Map<string, ReturnFold<HistoryRow>>): void {
  for (const row of rows) {
    if (row.recorded_at > asAt || (standingOnly && !STANDING.has(row.kind))) continue;
    let fold = into.get(row.return_id);
    if (!fold) {
      fold = { latest: row, approved: null, reportedBeforeApproval: null, lastReported: null };
      into.set(row.return_id, fold);
    }
    fold.latest = row;
    if (STANDING.has(row.kind)) {
      fold.approved = row;
      fold.reportedBeforeApproval = fold.lastReported;
    } else if (REPORTED.has(row.kind)) {
      fold.lastReported = row;
    }
  }
}

/**
 * One cycle's returns and figures as at an instant: each return's value history folded (the
 * quarter's own in full; an earlier cycle's approvals only) and its returns by KPI and period.
 * Kept with the cycle's rows for every instant at or after the last thing recorded in it (a
 * closed quarter, once its figures stand), so a scorecard folds only what differs at its instant.
 */
class CycleFigures {
  /** Each return's approved figure, made once (shared and frozen: kept views outlive a scorecard). */
  private readonly periodFigures = new Map<string, PeriodFigure>();

  private constructor(
    readonly folds: ReadonlyMap<string, ReturnFold<HistoryRow>>,
    /** The cycle's returns requested by the instant, by `kpiId|periodCovered` and by KPI (the first of each). */
    readonly byPeriod: ReadonlyMap<string, EarlierReturn>,
    readonly byKpi: ReadonlyMap<string, EarlierReturn>,
  ) {}

  static of(history: CycleHistory, asAt: string, standingOnly: boolean): CycleFigures {
    if (asAt < lastRecordedAt(history)) return CycleFigures.build(history, asAt, standingOnly);
    // Everything in the cycle counts at this instant: the same figures as at any later one.
    let kept = keptFigures.get(history);
    if (!kept) {
      kept = {};
      keptFigures.set(history, kept);
    }
    const mode = standingOnly ? 'standing' : 'all';
    return (kept[mode] ??= CycleFigures.build(history, asAt, standingOnly));
  }

  private static build(history: CycleHistory, asAt: string, standingOnly: boolean): CycleFigures {
    const folds = new Map<string, ReturnFold<HistoryRow>>();
    foldByReturn(history.values, asAt, standingOnly, folds);
    const byPeriod = new Map<string, EarlierReturn>();
    const byKpi = new Map<string, EarlierReturn>();
    for (const ret of history.returns) {
      if (ret.requested_at > asAt) continue;
      const periodKey = `${ret.kpi_id}|${ret.period_covered}`;
      if (!byPeriod.has(periodKey)) byPeriod.set(periodKey, ret);
      if (!byKpi.has(ret.kpi_id)) byKpi.set(ret.kpi_id, ret);
    }
    return new CycleFigures(folds, byPeriod, byKpi);
  }

  /** The approved figure of one of the cycle's returns and the status stored with it (the rating's status, kept in its own column). */
  periodFigure(ret: EarlierReturn): PeriodFigure {
    let figure = this.periodFigures.get(ret.return_id);
    if (!figure) {
      const approved = this.folds.get(ret.return_id)?.approved;
      const ratedMeasure = ((approved ? ratedFigureOf(approved) : undefined) ?? ret.measure_type ?? undefined) as MeasureType | undefined;
      figure = Object.freeze({
        cycleId: ret.cycle_id,
        periodCovered: ret.period_covered,
        value: approved?.value ?? null,
        status: (approved?.status ?? null) as RatingStatus | null,
        ...(approved?.in_period_value ? { inPeriodValue: approved.in_period_value } : {}),
        ...(approved?.year_to_date_value ? { yearToDateValue: approved.year_to_date_value } : {}),
        ...(ratedMeasure === undefined ? {} : { ratedMeasure }),
      });
      this.periodFigures.set(ret.return_id, figure);
    }
    return figure;
  }
}

const keptFigures = new WeakMap<CycleHistory, { all?: CycleFigures; standing?: CycleFigures }>();
const lastRecorded = new WeakMap<CycleHistory, string>();

/** The latest instant anything in a cycle's rows was recorded (requests, due dates, figures). */
function lastRecordedAt(history: CycleHistory): string {
  let last = lastRecorded.get(history);
  if (last === undefined) {
    last = '';
    for (const row of history.values) if (row.recorded_at > last) last = row.recorded_at;
    for (const row of history.dueDates) if (row.recorded_at > last) last = row.recorded_at;
    for (const row of history.returns) if (row.requested_at > last) last = row.requested_at;
    lastRecorded.set(history, last);
  }
  return last;
}

/**
 * The value histories of the KPIs due in a quarter, in that quarter and the four before it, as
 * at an instant, indexed for the scorecard's look-ups: linear in the rows however many revisions
 * a return has, and for a cycle in which nothing was recorded after the instant, kept.
 */
class HistoryAsAt {
  private readonly figures = new Map<string, FigureColumns>();

  private constructor(
    /** The quarter's own cycle. */
    private readonly own: CycleFigures,
    /** The earlier cycles, oldest first (where a period's figure is looked for after the quarter's own). */
    private readonly earlier: readonly CycleFigures[],
    private readonly byCycleId: ReadonlyMap<string, CycleFigures>,
    /** Each return's due date as it stood at the instant. */
    private readonly dueDates: ReadonlyMap<string, string>,
    /** The instant's date in Europe/London. */
    private readonly localDate: string,
    private readonly asAt: string,
  ) {}

  /**
   * The quarter `own` and `earlier` cycles (newest first) as at `asAt`: only rows recorded by then
   * count, as the scorecard's SQL once filtered.
   */
  static of(own: CycleHistory, earlier: readonly CycleHistory[], asAt: string): HistoryAsAt {
    const ownFigures = CycleFigures.of(own, asAt, false);
    const byCycleId = new Map<string, CycleFigures>([[own.cycleId, ownFigures]]);
    const earlierFigures: CycleFigures[] = [];
    for (let i = earlier.length - 1; i >= 0; i -= 1) {
      const figures = CycleFigures.of(earlier[i]!, asAt, true);
      earlierFigures.push(figures);
      if (!byCycleId.has(earlier[i]!.cycleId)) byCycleId.set(earlier[i]!.cycleId, figures);
    }
    const dueDates = new Map<string, string>();
    for (const row of own.dueDates) if (row.recorded_at <= asAt) dueDates.set(row.return_id, row.due_date);
    return new HistoryAsAt(ownFigures, earlierFigures, byCycleId, dueDates, localDateOf(asAt), asAt);
  }

  figureOf(returnId: string): FigureColumns {
    let figure = this.figures.get(returnId);
    if (!figure) {
      figure = this.fold(returnId);
      this.figures.set(returnId, figure);
    }
    return figure;
  }

  private fold(returnId: string): FigureColumns {
    const fold = this.own.folds.get(returnId);
    const none = {
      status: null,
      label: null,
      noStatusReason: null,
      rating: null,
      approvedBy: null,
      approvedAt: null,
      imported: null,
      changePending: false,
      commentary: null,
      offTargetReason: null,
      routeToGreen: null,
    };
    const approved = fold?.approved;
    if (!fold || !approved) {
      return {
        ...none,
        value: null,
        inPeriodValue: null,
        yearToDateValue: null,
        noFigureReason: fold ? 'awaiting_approval' : this.unsubmittedReason(returnId),
      };
    }
    const rating = ratingOf(approved);
    const imported = approved.kind === 'imported' ? fromJson<ImportedFigureNote>(approved.imported) : null;
    // An imported figure's commentary is its own (nothing was reported before it).
    const reported = imported ? approved : fold.reportedBeforeApproval;
    return {
      value: approved.value,
      inPeriodValue: approved.in_period_value ?? null,
      yearToDateValue: approved.year_to_date_value ?? null,
      noFigureReason: approved.value === null ? 'not_available' : null,
      status: rating?.status ?? null,
      label: rating?.label ?? null,
      noStatusReason: rating?.noStatusReason ?? null,
      rating,
      approvedBy: imported ? null : approved.actor,
      approvedAt: approved.recorded_at,
      imported: imported ? { ...imported, importedLater: imported.importedAt > this.asAt } : null,
      changePending: fold.latest !== approved,
      commentary: reported?.commentary ?? (imported ? null : reported?.reason) ?? null,
      offTargetReason: reported?.off_target_reason ?? null,
      routeToGreen: reported?.route_to_green ?? null,
    };
  }

  private unsubmittedReason(returnId: string): NoFigureReason {
    const dueDate = this.dueDates.get(returnId);
    return dueDate !== undefined && this.localDate > dueDate ? 'overdue' : 'not_yet_due';
  }

  /** The approved figure of a KPI for a period (`2024/25-Q2`, `2024/25-H1`, `2024/25`): the quarter's return first, then the oldest cycle's. */
  figureFor(kpiId: string, periodCovered: string): PeriodFigure | null {
    const key = `${kpiId}|${periodCovered}`;
    const own = this.own.byPeriod.get(key);
    if (own) return this.own.periodFigure(own);
    for (const cycle of this.earlier) {
      const ret = cycle.byPeriod.get(key);
      if (ret) return cycle.periodFigure(ret);
    }
    return null;
  }

  /** The approved figure of a KPI's return in a cycle, or null when it was not due then. */
  figureInCycle(kpiId: string, cycleId: string): PeriodFigure | null {
    const cycle = this.byCycleId.get(cycleId);
    const ret = cycle?.byKpi.get(kpiId);
    return cycle && ret ? cycle.periodFigure(ret) : null;
  }
}

/** A row's rating, parsed once per (kept, shared) row and frozen, since scorecards share it. */
const ratings = new WeakMap<HistoryRow, Rating | null>();
function ratingOf(row: HistoryRow): Rating | null {
  let rating = ratings.get(row);
  if (rating === undefined) {
    rating = deepFreeze(fromJson<Rating | null>(row.rating));
    ratings.set(row, rating);
  }
  return rating;
}

/** The rated figure a row's rating states. */
function ratedFigureOf(row: HistoryRow): MeasureType | undefined {
  return ratingOf(row)?.ratedFigure;
}

/**
 * Each KPI's targets for the financial years as they stood at `asAt`, by `kpiId|financialYear`:
 * the year's whole target set (a row written before sets were kept: its policy alone).
 */
function targetsAsAt(register: RegisterHistory, kpiIds: ReadonlySet<string>, financialYears: readonly string[], asAt: string): Map<string, KpiYearTargets> {
  const targets = new Map<string, KpiYearTargets>();
  // In position order: the last row of each KPI and year is the set in force at asAt.
  for (const row of register.targets) {
    if (row.recorded_at > asAt || !kpiIds.has(row.kpi_id) || !financialYears.includes(row.financial_year)) continue;
    targets.set(`${row.kpi_id}|${row.financial_year}`, yearTargetsOf(row));
  }
  return targets;
}

/** A target row's set, parsed once per (kept, shared) row and frozen, since scorecards share it. */
const parsedTargets = new WeakMap<RegisterHistory['targets'][number], KpiYearTargets>();
function yearTargetsOf(row: RegisterHistory['targets'][number]): KpiYearTargets {
  let targets = parsedTargets.get(row);
  if (!targets) {
    targets = deepFreeze(row.targets === null ? { policy: fromJson<RatingPolicy>(row.policy), periods: {} } : fromJson<KpiYearTargets>(row.targets));
    parsedTargets.set(row, targets);
  }
  return targets;
}

/** The policy in force for a period (a period's over the year's), or null. */
function safeTargetsInForce(yearTargets: KpiYearTargets | null, periodCovered: string, measureType: MeasureType): RatingPolicy | null {
  try {
    return targetsInForce(yearTargets, periodCovered, measureType).policy;
  } catch {
    return yearTargets?.policy ?? null;
  }
}

function safeFinancialYearOf(periodCovered: string): string | null {
  try {
    return parseReportingPeriod(periodCovered).financialYear;
  } catch {
    return null;
  }
}

/**
 * "vs last year" on the year's basis: the reference (which period's figure of which measure, and
 * for pro rata the share), that figure as approved by the instant, and the direction.
 */
function safeLastYearComparison(
  ret: Selectable<HistoryReturnTable>,
  ratedFigure: MeasureType,
  basis: LastYearBasis,
  value: string | null,
  history: HistoryAsAt,
): { lastYear: PeriodFigure | null; vsLastYear: LastYearDirection } | null {
  try {
    const reference = lastYearReferenceOf(ret.period_covered, ret.frequency as Frequency, ratedFigure, basis);
    const lastYear = history.figureFor(ret.kpi_id, reference.needs.period);
    const figure =
      lastYear === null || lastYear.value === null
        ? null
        : figureOfMeasure(lastYear, lastYear.ratedMeasure ?? (ret.measure_type as MeasureType), reference.needs.measure, periodStartsYear(reference.needs.period));
    return {
      lastYear,
      vsLastYear: lastYearDirection(value, reference, figure, ret.polarity as Polarity, toNumber(ret.decimal_places)),
    };
  } catch {
    // A period the domain cannot compare (a malformed legacy row) simply has no direction.
    return null;
  }
}

/** Each KPI's plan outcome as it stood at `asAt`. */
function planOutcomesAsAt(register: RegisterHistory, kpiIds: ReadonlySet<string>, asAt: string): Map<string, string> {
  const outcomes = new Map<string, string>();
  for (const row of register.planOutcomes) if (row.recorded_at <= asAt && kpiIds.has(row.kpi_id)) outcomes.set(row.kpi_id, row.plan_outcome);
  return outcomes;
}

function safeComparisonPeriods(ret: Selectable<HistoryReturnTable>, ratedFigure: MeasureType): { previous: string | null; lastYear: string | null } {
  try {
    return comparisonPeriods(ret.period_covered, ret.frequency as Frequency, ratedFigure);
  } catch {
    // A period the domain cannot compare (a malformed legacy row) simply has no direction.
    return { previous: null, lastYear: null };
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

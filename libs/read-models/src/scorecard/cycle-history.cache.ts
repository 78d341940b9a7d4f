import { Kysely, Selectable } from 'kysely';
import {
  DbInteger,
  HistoryDueDateTable,
  HistoryKpiPlanOutcomeTable,
  HistoryKpiTargetTable,
  HistoryReturnTable,
  ReadModelSchema,
  ValueHistoryTable,
} from '../database/read-model-schema';

/**
 * A reporting cycle's rows of the value history, as a scorecard reads them, kept in memory per
 * database so that a scorecard "as at" any instant filters and folds them there instead of
 * reading some 7,000 rows of five cycles from the database each time.
 *
 * Exact by construction: the three tables are append-only (rows keyed by event position or return id,
 * never updated), so a cycle's rows up to a position never change; a kept cycle is its rows up to
 * the positions in its {@link CycleStamp} (read in the same statement as the rest of the
 * scorecard's inputs, `readScorecardInputs`) and is read again when the stamp moves on — only the
 * rows after the kept positions when nothing was removed meanwhile (a rebuild), every row
 * otherwise. "As at" filters by `recorded_at` in memory exactly as the queries did in SQL.
 */
export interface CycleHistory {
  readonly cycleId: string;
  /** The cycle's returns (`history_returns`: requested, or imported with a figure). */
  readonly returns: ReadonlyArray<Selectable<HistoryReturnTable>>;
  /** Its value-history rows, in position order, with the columns a scorecard reads. */
  readonly values: readonly CycleValueRow[];
  /** Every due date its returns have had, in position order. */
  readonly dueDates: ReadonlyArray<Pick<Selectable<HistoryDueDateTable>, 'return_id' | 'due_date' | 'recorded_at'>>;
}

/** The columns of a value-history row a scorecard reads (not the monthly values or data-quality notes). */
export type CycleValueRow = Pick<
  Selectable<ValueHistoryTable>,
  | 'return_id'
  | 'kind'
  | 'value'
  | 'in_period_value'
  | 'year_to_date_value'
  | 'status'
  | 'rating'
  | 'actor'
  | 'recorded_at'
  | 'commentary'
  | 'reason'
  | 'off_target_reason'
  | 'route_to_green'
  | 'imported'
>;

/** How far a cycle's rows went when the scorecard's inputs were read. */
export interface CycleStamp {
  readonly cycleId: string;
  /** The highest position of the cycle's value-history rows; null without any. */
  readonly valueHistory: DbInteger | null;
  /** The highest position of its due-date rows (one per request and due-date change); null without any. */
  readonly dueDates: DbInteger | null;
  /** The value-history projection's version: a new version rebuilds the rows. */
  readonly version: string;
}

/** Cycles kept per database: a few quarters' scorecards, each reading its own and four earlier cycles. */
const MAX_KEPT_CYCLES = 24;

interface KeptCycle {
  readonly stamp: CycleStamp;
  readonly history: Promise<CycleHistory>;
}

const keptCycles = new WeakMap<object, Map<string, KeptCycle>>();

const VALUE_COLUMNS = [
  'return_id',
  'kind',
  'value',
  'in_period_value',
  'year_to_date_value',
  'status',
  'rating',
  'actor',
  'recorded_at',
  'commentary',
  'reason',
  'off_target_reason',
  'route_to_green',
  'imported',
] as const;

/**
 * The rows of `stamp.cycleId` up to `stamp`'s positions: kept when already read that far, else
 * read (after the kept rows when they are a prefix of the cycle's rows now, else in full) and kept.
 * Callers asking at once share one read.
 */
export function keptCycleHistory(db: Kysely<ReadModelSchema>, stamp: CycleStamp): Promise<CycleHistory> {
  let forDb = keptCycles.get(db);
  if (!forDb) {
    forDb = new Map();
    keptCycles.set(db, forDb);
  }
  const entry = forDb.get(stamp.cycleId);
  forDb.delete(stamp.cycleId);
  if (entry && sameStamp(entry.stamp, stamp)) {
    // Most recently used last, so the oldest is dropped first.
    forDb.set(stamp.cycleId, entry);
    return entry.history;
  }
  const after = entry && entry.stamp.version === stamp.version && notBefore(stamp, entry.stamp) ? entry : undefined;
  const history = readCycleHistory(db, stamp, after);
  if (forDb.size >= MAX_KEPT_CYCLES) forDb.delete(forDb.keys().next().value!);
  const kept: KeptCycle = { stamp, history };
  forDb.set(stamp.cycleId, kept);
  // A failed read is not kept: the next caller reads again.
  history.catch(() => {
    if (forDb.get(stamp.cycleId) === kept) forDb.delete(stamp.cycleId);
  });
  return history;
}

async function readCycleHistory(db: Kysely<ReadModelSchema>, stamp: CycleStamp, kept: KeptCycle | undefined): Promise<CycleHistory> {
  const previous = kept ? await kept.history.catch(() => undefined) : undefined;
  const from = previous ? kept!.stamp : undefined;
  const [values, dueDates, returns] = await Promise.all([
    stamp.valueHistory === null
      ? []
      : db
          .selectFrom('value_history')
          .select([...VALUE_COLUMNS])
          .where('cycle_id', '=', stamp.cycleId)
          .where('position', '<=', stamp.valueHistory)
          .$if(from?.valueHistory != null, (q) => q.where('position', '>', from!.valueHistory!))
          .orderBy('position')
          .execute(),
    stamp.dueDates === null
      ? []
      : db
          .selectFrom('history_due_dates')
          .select(['return_id', 'due_date', 'recorded_at'])
          .where('cycle_id', '=', stamp.cycleId)
          .where('position', '<=', stamp.dueDates)
          .$if(from?.dueDates != null, (q) => q.where('position', '>', from!.dueDates!))
          .orderBy('position')
          .execute(),
    // A return's row is written with its request (a due-date row) or its imported figure (a
    // value-history row), at that event's position.
    stamp.valueHistory === null && stamp.dueDates === null
      ? []
      : db
          .selectFrom('history_returns')
          .selectAll()
          .where('cycle_id', '=', stamp.cycleId)
          .where('position', '<=', highest(stamp)!)
          .$if(from !== undefined && highest(from) !== null, (q) => q.where('position', '>', highest(from!)!))
          .orderBy('position')
          .execute(),
  ]);
  if (!previous) return { cycleId: stamp.cycleId, values, dueDates, returns };
  return {
    cycleId: stamp.cycleId,
    values: values.length === 0 ? previous.values : [...previous.values, ...values],
    dueDates: dueDates.length === 0 ? previous.dueDates : [...previous.dueDates, ...dueDates],
    returns: returns.length === 0 ? previous.returns : [...previous.returns, ...returns],
  };
}

function position(value: DbInteger | null): bigint | null {
  return value === null ? null : BigInt(value);
}

function highest(stamp: CycleStamp): bigint | null {
  const a = position(stamp.valueHistory);
  const b = position(stamp.dueDates);
  return a === null ? b : b === null ? a : a > b ? a : b;
}

function sameStamp(a: CycleStamp, b: CycleStamp): boolean {
  return a.version === b.version && position(a.valueHistory) === position(b.valueHistory) && position(a.dueDates) === position(b.dueDates);
}

/** True when `later` has every row `earlier` has (no position went back: nothing was removed). */
function notBefore(later: CycleStamp, earlier: CycleStamp): boolean {
  const atLeast = (a: DbInteger | null, b: DbInteger | null) => b === null || (a !== null && BigInt(a) >= BigInt(b));
  return atLeast(later.valueHistory, earlier.valueHistory) && atLeast(later.dueDates, earlier.dueDates);
}

/**
 * The register's history a scorecard reads (`history_kpi_targets`, `history_kpi_plan_outcomes`:
 * KPIs × years × changes, small), kept in memory like a cycle's rows: append-only, kept up to the
 * positions in its {@link RegisterStamp} and read again (in full) when they move.
 */
export interface RegisterHistory {
  readonly targets: ReadonlyArray<Pick<Selectable<HistoryKpiTargetTable>, 'kpi_id' | 'financial_year' | 'policy' | 'targets' | 'recorded_at'>>;
  readonly planOutcomes: ReadonlyArray<Pick<Selectable<HistoryKpiPlanOutcomeTable>, 'kpi_id' | 'plan_outcome' | 'recorded_at'>>;
}

/** How far the register's history tables went when the scorecard's inputs were read. */
export interface RegisterStamp {
  readonly targets: DbInteger | null;
  readonly planOutcomes: DbInteger | null;
  /** The kpi-register projection's version. */
  readonly version: string;
}

const keptRegisters = new WeakMap<object, { readonly stamp: RegisterStamp; readonly history: Promise<RegisterHistory> }>();

/** The register's history up to `stamp`'s positions, kept while they stand, each in position order. */
export function keptRegisterHistory(db: Kysely<ReadModelSchema>, stamp: RegisterStamp): Promise<RegisterHistory> {
  const entry = keptRegisters.get(db);
  if (entry && entry.stamp.version === stamp.version && position(entry.stamp.targets) === position(stamp.targets) && position(entry.stamp.planOutcomes) === position(stamp.planOutcomes)) {
    return entry.history;
  }
  const history = (async (): Promise<RegisterHistory> => {
    const [targets, planOutcomes] = await Promise.all([
      stamp.targets === null
        ? []
        : db
            .selectFrom('history_kpi_targets')
            .select(['kpi_id', 'financial_year', 'policy', 'targets', 'recorded_at'])
            .where('position', '<=', stamp.targets)
            .orderBy('position')
            .execute(),
      stamp.planOutcomes === null
        ? []
        : db
            .selectFrom('history_kpi_plan_outcomes')
            .select(['kpi_id', 'plan_outcome', 'recorded_at'])
            .where('position', '<=', stamp.planOutcomes)
            .orderBy('position')
            .execute(),
    ]);
    return { targets, planOutcomes };
  })();
  const kept = { stamp, history };
  keptRegisters.set(db, kept);
  history.catch(() => {
    if (keptRegisters.get(db) === kept) keptRegisters.delete(db);
  });
  return history;
}

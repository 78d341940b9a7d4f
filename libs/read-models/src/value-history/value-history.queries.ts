import { MonthlyValue, Rating, RatingStatus } from '@quarterly/domain';
import { Kysely, Selectable } from 'kysely';
import { DbInteger, ReadModelSchema, ValueHistoryTable } from '../database/read-model-schema';
import { fromJson, toBigInt, toInstant } from '../shared/column-values';
import { deepFreeze } from '../shared/deep-freeze';
import { ImportedFigureNote, ValueHistoryKind } from './value-history.projection';

/** One value reported for a KPI, or a decision on one, with who, when and why. */
export interface ValueHistoryEntry {
  readonly eventId: string;
  /** Global position of the event: the order in which things happened. */
  readonly position: bigint;
  readonly returnId: string;
  readonly kpiId: string;
  readonly cycleId: string;
  readonly periodCovered: string;
  readonly kind: ValueHistoryKind;
  /** The figure (for a challenge: the figure challenged); null for "not available". */
  readonly value: string | null;
  readonly monthlyValues: readonly MonthlyValue[];
  readonly rating: Rating | null;
  readonly status: RatingStatus | null;
  readonly actor: string;
  readonly recordedAt: string;
  readonly commentary: string | null;
  /** Why: the challenge reason, the restatement reason, the reason a figure is not available, or the answer to a challenge. */
  readonly reason: string | null;
  readonly offTargetReason: string | null;
  readonly routeToGreen: string | null;
  readonly dataQualityNotes: string | null;
  /**
   * For a figure imported as the council published it (`kind: 'imported'`): where it came from.
   * Its `recordedAt` is then the start of its publication day (when it counts from "as at"), and
   * `imported.importedAt` the instant of the import.
   */
  readonly imported: ImportedFigureNote | null;
}

export interface ValueHistoryQuery {
  readonly kpiId: string;
  /** Only this period (`2024/25-Q2`, `2024/25-H1`, `2024/25`). */
  readonly periodCovered?: string;
  /** Only rows recorded at or before this instant: the history as it stood then. */
  readonly asAt?: Date | string;
  /** Only rows of these cycles (e.g. the published ones, for councillors). */
  readonly cycles?: readonly string[];
  /** Only rows after this position (the last position of the previous page). */
  readonly after?: bigint;
  /** At most this many rows. @defaultValue all of them */
  readonly limit?: number;
}

/**
 * Every value reported for a KPI (optionally one period, optionally as at an instant), in order.
 * The entries are shared (frozen): see {@link keptKpiHistory}.
 */
export async function getValueHistory(
  db: Kysely<ReadModelSchema>,
  query: ValueHistoryQuery,
): Promise<ValueHistoryEntry[]> {
  if (query.cycles !== undefined && query.cycles.length === 0) return [];
  const asAt = query.asAt === undefined ? undefined : toInstant(query.asAt);
  const cycles = query.cycles === undefined ? undefined : new Set(query.cycles);
  const entries: ValueHistoryEntry[] = [];
  for (const entry of await keptKpiHistory(db, query.kpiId)) {
    if (query.limit !== undefined && entries.length >= query.limit) break;
    if (query.periodCovered !== undefined && entry.periodCovered !== query.periodCovered) continue;
    if (asAt !== undefined && entry.recordedAt > asAt) continue;
    if (cycles !== undefined && !cycles.has(entry.cycleId)) continue;
    if (query.after !== undefined && entry.position <= query.after) continue;
    entries.push(entry);
  }
  return entries;
}

/** KPIs whose value history is kept per database: the ones being read, the least recently read dropped first. */
const MAX_KEPT_KPIS = 64;

interface KeptKpiHistory {
  /** The highest position of the KPI's rows and the projection's version when read. */
  readonly position: bigint | null;
  readonly version: string;
  readonly entries: Promise<readonly ValueHistoryEntry[]>;
}

const keptKpiHistories = new WeakMap<object, Map<string, KeptKpiHistory>>();

/**
 * A KPI's whole value history (every entry, in position order), kept in memory per database: a
 * history "as at" an instant, of a period or of some cycles is then a filter of it, not a read of
 * 1,000 rows of 19 columns. Exact: the rows are append-only (keyed by event position, never updated), so
 * before each answer one statement reads the KPI's highest position (an index seek) and the
 * projection's version; the kept entries serve while both stand, the rows after them are read when
 * the position moved on, and all of them again when the version changed or a position went back
 * (a rebuild under way). Entries are frozen: every caller shares them.
 */
async function keptKpiHistory(db: Kysely<ReadModelSchema>, kpiId: string): Promise<readonly ValueHistoryEntry[]> {
  const stamp = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('value_history').select((s) => s.fn.max('position').as('p')).where('kpi_id', '=', kpiId).as('position'),
      eb.selectFrom('projection_checkpoints').select('version').where('name', '=', 'value-history').as('version'),
    ])
    .executeTakeFirstOrThrow();
  const position = stamp.position === null || stamp.position === undefined ? null : toBigInt(stamp.position as DbInteger);
  const version = String(stamp.version ?? '-');
  let forDb = keptKpiHistories.get(db);
  if (!forDb) {
    forDb = new Map();
    keptKpiHistories.set(db, forDb);
  }
  const kept = forDb.get(kpiId);
  forDb.delete(kpiId);
  if (kept && kept.version === version && kept.position === position) {
    forDb.set(kpiId, kept);
    return kept.entries;
  }
  const from = kept && kept.version === version && kept.position !== null && position !== null && kept.position <= position ? kept : undefined;
  const entries = (async () => {
    if (position === null) return [];
    const earlier = from ? await from.entries : [];
    let select = db.selectFrom('value_history').selectAll().where('kpi_id', '=', kpiId).where('position', '<=', position).orderBy('position');
    if (from) select = select.where('position', '>', from.position!);
    const added = entriesOf(await select.execute()).map((entry) => deepFreeze(entry));
    return added.length === 0 ? earlier : [...earlier, ...added];
  })();
  const entry: KeptKpiHistory = { position, version, entries };
  if (forDb.size >= MAX_KEPT_KPIS) forDb.delete(forDb.keys().next().value!);
  forDb.set(kpiId, entry);
  entries.catch(() => {
    if (forDb.get(kpiId) === entry) forDb.delete(kpiId);
  });
  return entries;
}

/** The value history of one return, in order. */
export async function getReturnValueHistory(
  db: Kysely<ReadModelSchema>,
  returnId: string,
  asAt?: Date | string,
  page: { readonly after?: bigint; readonly limit?: number } = {},
): Promise<ValueHistoryEntry[]> {
  let select = db.selectFrom('value_history').selectAll().where('return_id', '=', returnId).orderBy('position');
  if (asAt !== undefined) select = select.where('recorded_at', '<=', toInstant(asAt));
  if (page.after !== undefined) select = select.where('position', '>', page.after);
  if (page.limit !== undefined) select = select.limit(page.limit);
  return entriesOf(await select.execute());
}

/**
 * The approved figures of several reporting cycles, for every KPI, as recorded by `asAt`, in
 * order: one read for the last periods of a whole scorecard (its small multiples) instead of one
 * per KPI.
 */
export async function getApprovedFiguresOfCycles(db: Kysely<ReadModelSchema>, cycles: readonly string[], asAt?: Date | string): Promise<ValueHistoryEntry[]> {
  if (cycles.length === 0) return [];
  let select = db.selectFrom('value_history').selectAll().where('cycle_id', 'in', [...cycles]).where('kind', '=', 'approved').orderBy('position');
  if (asAt !== undefined) select = select.where('recorded_at', '<=', toInstant(asAt));
  return entriesOf(await select.execute());
}

/** Every value reported in one reporting cycle, for every KPI, in order. */
export async function getCycleValueHistory(db: Kysely<ReadModelSchema>, cycleId: string): Promise<ValueHistoryEntry[]> {
  const rows = await db.selectFrom('value_history').selectAll().where('cycle_id', '=', cycleId).orderBy('position').execute();
  return entriesOf(rows);
}

/**
 * The entries of a result. A KPI's history repeats the same rating and monthly values row after
 * row (a figure submitted, approved, restated back and forth): each distinct text is parsed once
 * per result, and its rows share the (read-only) value.
 */
function entriesOf(rows: ReadonlyArray<Selectable<ValueHistoryTable>>): ValueHistoryEntry[] {
  const parsed = new Map<string, unknown>();
  const parse = <T>(text: string | null): T | null => {
    if (text === null) return null;
    let value = parsed.get(text);
    if (value === undefined) {
      value = fromJson<T>(text);
      parsed.set(text, value);
    }
    return value as T;
  };
  return rows.map((row) => toValueHistoryEntry(row, parse));
}

export function toValueHistoryEntry(
  row: Selectable<ValueHistoryTable>,
  parse: <T>(text: string | null) => T | null = fromJson,
): ValueHistoryEntry {
  return {
    eventId: row.event_id,
    position: toBigInt(row.position),
    returnId: row.return_id,
    kpiId: row.kpi_id,
    cycleId: row.cycle_id,
    periodCovered: row.period_covered,
    kind: row.kind as ValueHistoryKind,
    value: row.value,
    monthlyValues: parse<MonthlyValue[]>(row.monthly_values) ?? [],
    rating: parse<Rating>(row.rating),
    status: row.status as RatingStatus | null,
    actor: row.actor,
    recordedAt: row.recorded_at,
    commentary: row.commentary,
    reason: row.reason,
    offTargetReason: row.off_target_reason,
    routeToGreen: row.route_to_green,
    dataQualityNotes: row.data_quality_notes,
    imported: fromJson<ImportedFigureNote>(row.imported),
  };
}

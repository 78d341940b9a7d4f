// The file, not the package's index: a rebuild's worker thread then loads no holiday calendar.
import { atLocalTime } from '@quarterly/calendar/local-time';
import type { IsoDate, ReturnFigureImportedData, ReturnRequestedData, ReturnRestatedData, ReturnSubmittedData } from '@quarterly/domain';
import { DecodedEventOf, unhandledEvent } from '@quarterly/event-codec';
import { Insertable, Kysely } from 'kysely';
import { HistoryDueDateTable, HistoryReturnTable, ReadModelSchema, ValueHistoryTable } from '../database/read-model-schema';
import type { ReadModelDialect } from '../database/read-model-database';
import { RowBatchWriter, type RowStatement } from '../database/row-batch.writer';
import { Projection, ReadModelIndex, RebuildFold } from '../projection/projection';
import { toInstant } from '../shared/column-values';
import { returnIdOfStream } from '../shared/stream-refs';

/** What a value-history row records. */
export type ValueHistoryKind =
  | 'submitted'
  | 'resubmitted'
  | 'not_available'
  | 'challenged'
  | 'approved'
  | 'restated'
  | 'imported';

/**
 * The kinds that make a figure the period's standing one: an approval, or a figure imported as the
 * council published it (which nobody approved in Quarterly).
 */
export const STANDING_KINDS: readonly ValueHistoryKind[] = ['approved', 'imported'];

/**
 * Where an imported figure came from and what the council printed, kept with its history row
 * (column `imported`, JSON) and shown beside it wherever it appears.
 */
export interface ImportedFigureNote {
  /** The instant of the import (the event's own time). */
  readonly importedAt: string;
  readonly importedBy: string;
  readonly fileName: string;
  readonly sha256: string;
  readonly sourceDocument: string;
  /** The day the council published it: the figure counts "as at" from the start of this day. */
  readonly publishedOn: IsoDate;
  readonly publishedStatus: string | null;
  readonly publishedDirectionPrevious: string | null;
  readonly publishedDirectionLastYear: string | null;
  readonly notAvailableReason: string | null;
}

/** The instant a published figure counts from: the start of its publication day in Europe/London. */
export function publishedInstantOf(publishedOn: IsoDate): string {
  return toInstant(atLocalTime(publishedOn, '00:00'));
}

export function importedFigureNoteOf(data: ReturnFigureImportedData): ImportedFigureNote {
  return {
    importedAt: toInstant(data.source.importedAt),
    importedBy: data.source.importedBy,
    fileName: data.source.fileName,
    sha256: data.source.sha256,
    sourceDocument: data.published.sourceDocument,
    publishedOn: data.published.publishedOn,
    publishedStatus: data.published.status ?? null,
    publishedDirectionPrevious: data.published.directionPrevious ?? null,
    publishedDirectionLastYear: data.published.directionLastYear ?? null,
    notAvailableReason: data.notAvailableReason ?? null,
  };
}

/** The kinds that carry a figure reported by the service (as opposed to a decision on it). */
export const REPORTED_KINDS: readonly ValueHistoryKind[] = ['submitted', 'resubmitted', 'restated'];

/** What a challenge can be about: a reported figure, or the statement that none is available. */
const FIGURE_KINDS: readonly ValueHistoryKind[] = [...REPORTED_KINDS, 'not_available'];

const HISTORY_RETURN_ROWS = new RowBatchWriter({
  table: 'history_returns',
  columns: {
    return_id: 'text',
    kpi_id: 'text',
    cycle_id: 'text',
    period_covered: 'text',
    kpi_title: 'text',
    directorate: 'text',
    unit: 'text',
    decimal_places: 'integer',
    polarity: 'text',
    frequency: 'text',
    measure_type: 'text',
    unit_label: 'text',
    requested_at: 'text',
    position: 'bigint',
  },
  key: ['return_id'],
  onConflict: 'nothing',
});

const HISTORY_DUE_DATE_ROWS = new RowBatchWriter({
  table: 'history_due_dates',
  columns: { return_id: 'text', position: 'bigint', cycle_id: 'text', due_date: 'text', recorded_at: 'text' },
  key: ['return_id', 'position'],
  onConflict: 'nothing',
});

const VALUE_HISTORY_ROWS = new RowBatchWriter({
  table: 'value_history',
  columns: {
    event_id: 'text',
    position: 'bigint',
    return_id: 'text',
    kpi_id: 'text',
    cycle_id: 'text',
    period_covered: 'text',
    kind: 'text',
    value: 'text',
    in_period_value: 'text',
    year_to_date_value: 'text',
    monthly_values: 'text',
    rating: 'text',
    status: 'text',
    actor: 'text',
    recorded_at: 'text',
    commentary: 'text',
    reason: 'text',
    off_target_reason: 'text',
    route_to_green: 'text',
    data_quality_notes: 'text',
    imported: 'text',
  },
  key: ['position'],
  onConflict: 'nothing',
});

const VALUE_EVENT_TYPES = [
  'ReturnRequested',
  'ReturnDueDateChanged',
  'ReturnSubmitted',
  'ReturnResubmitted',
  'ReturnFigureMarkedNotAvailable',
  'ReturnChallenged',
  'ReturnApproved',
  'ReturnRestated',
  'ReturnFigureImported',
] as const;

type ValueEventType = (typeof VALUE_EVENT_TYPES)[number];
type ValueEvent = DecodedEventOf<ValueEventType>;

/**
 * Every value ever reported for every KPI, one row per event, never updated (table
 * `value_history`), plus the returns it belongs to (`history_returns`) and every due date each
 * has had (`history_due_dates`). Scorecards "as at" any instant are computed from it at query
 * time, so a later restatement never rewrites what an earlier scorecard showed.
 */
export class ValueHistoryProjection implements Projection<ValueEventType> {
  readonly name = 'value-history';
  /**
   * 2: due dates (`history_due_dates`), so "as at" can tell not yet due from overdue.
   * 3: in-period and year-to-date figures beside the headline, and the KPI's unit label.
   * 3: (same release) figures imported as published (`ReturnFigureImported`, column `imported`).
   */
  readonly version = 3;
  readonly eventTypes = VALUE_EVENT_TYPES;
  readonly tables = ['value_history', 'history_returns', 'history_due_dates'] as const;
  /**
   * The queries' indexes. Not `value_history_return_idx`: a challenge looks up the figure it
   * challenges through it. `history_returns` is read by its primary key only.
   */
  readonly deferredIndexes: readonly ReadModelIndex[] = [
    { name: 'value_history_kpi_idx', table: 'value_history', columns: ['kpi_id', 'period_covered', 'position'] },
    { name: 'value_history_cycle_idx', table: 'value_history', columns: ['cycle_id', 'position'] },
    { name: 'history_returns_cycle_idx', table: 'history_returns', columns: ['cycle_id', 'kpi_id'] },
    { name: 'history_returns_kpi_idx', table: 'history_returns', columns: ['kpi_id', 'period_covered'] },
    { name: 'history_due_dates_cycle_idx', table: 'history_due_dates', columns: ['cycle_id', 'recorded_at'] },
    { name: 'value_history_cycle_recorded_idx', table: 'value_history', columns: ['cycle_id', 'recorded_at'] },
    { name: 'history_due_dates_cycle_position_idx', table: 'history_due_dates', columns: ['cycle_id', 'position'] },
  ];
  /**
   * Period covered by return id, saving a query per event. Safe to keep across transactions,
   * rollbacks and rebuilds: the value comes from the return's immutable ReturnRequested event.
   */
  private readonly periods = new Map<string, string>();

  async apply(trx: Kysely<ReadModelSchema>, event: ValueEvent): Promise<void> {
    await this.applyBatch(trx, [event]);
  }

  /**
   * Builds the batch's rows in order, then writes them with one statement per table (rows are
   * keyed by position, so an event applied twice adds nothing). A challenge names the figure
   * reported before it, looked up in the rows of this batch first, then in the table.
   */
  async applyBatch(trx: Kysely<ReadModelSchema>, events: readonly ValueEvent[]): Promise<void> {
    const reportedInBatch = new Map<string, FigureColumns>();
    const rows = await valueHistoryRowsOf(events, {
      periodOf: (returnId) => this.periods.get(returnId) ?? this.periodOf(trx, returnId),
      remember: (returnId, periodCovered) => this.remember(returnId, periodCovered),
      lastFigureOf: (returnId, position) => reportedInBatch.get(returnId) ?? lastFigureInTable(trx, returnId, position),
      reported: (returnId, row) => reportedInBatch.set(returnId, row),
    });
    await HISTORY_RETURN_ROWS.write(trx, rows.requested);
    await HISTORY_DUE_DATE_ROWS.write(trx, rows.dueDates);
    await VALUE_HISTORY_ROWS.write(trx, rows.values);
  }

  /**
   * The same rows in a rebuild's worker thread: every return's period and last figure kept in
   * memory from the first event (about 200 bytes a return), so no page reads the tables back.
   * Every row is copied on PostgreSQL: the due dates and figures are keyed by their own event,
   * and a return's row is written once, by the first event that names it (what `on conflict do
   * nothing` keeps live), which the returns already written tell from memory.
   */
  rebuildFold(dialect: ReadModelDialect): RebuildFold<ValueEventType> {
    const returnsWritten = new Set<string>();
    const periods = new Map<string, string>();
    const lastFigures = new Map<string, FigureColumns>();
    const lookups: ValueHistoryLookups = {
      periodOf: (returnId) => periods.get(returnId),
      remember: (returnId, periodCovered) => periods.set(returnId, periodCovered),
      lastFigureOf: (returnId) => lastFigures.get(returnId),
      reported: (returnId, row) => lastFigures.set(returnId, row),
    };
    return {
      fold: async (events) => {
        const rows = await valueHistoryRowsOf(events, lookups);
        const statements: RowStatement[] = [];
        const requested: typeof rows.requested = [];
        for (const row of rows.requested) {
          if (returnsWritten.has(row.return_id)) continue; // the first row of a return stays, as `do nothing` keeps it live
          returnsWritten.add(row.return_id);
          requested.push(row);
        }
        if (requested.length > 0) statements.push(HISTORY_RETURN_ROWS.copyStatementOf(requested, dialect));
        if (rows.dueDates.length > 0) statements.push(HISTORY_DUE_DATE_ROWS.copyStatementOf(rows.dueDates, dialect));
        if (rows.values.length > 0) statements.push(VALUE_HISTORY_ROWS.copyStatementOf(rows.values, dialect));
        return statements;
      },
    };
  }

  private async periodOf(trx: Kysely<ReadModelSchema>, returnId: string): Promise<string | undefined> {
    const known = await trx
      .selectFrom('history_returns')
      .select('period_covered')
      .where('return_id', '=', returnId)
      .executeTakeFirst();
    if (known) this.remember(returnId, known.period_covered);
    return known?.period_covered;
  }

  private remember(returnId: string, periodCovered: string): void {
    if (this.periods.size >= 50_000) this.periods.clear();
    this.periods.set(returnId, periodCovered);
  }
}

/** The columns of a figure row that a later challenge or approval repeats. */
type FigureColumns = Pick<Insertable<ValueHistoryTable>, 'value' | 'rating' | 'status' | 'in_period_value' | 'year_to_date_value'>;

/** What building a batch's rows needs beyond its events: from the tables (live) or memory (a rebuild's worker). */
interface ValueHistoryLookups {
  /** The period a return covers, if its request is known. */
  periodOf(returnId: string): string | undefined | Promise<string | undefined>;
  remember(returnId: string, periodCovered: string): void;
  /** The figure reported last on the return before `position` (kinds FIGURE_KINDS). */
  lastFigureOf(returnId: string, position: bigint): FigureColumns | undefined | Promise<FigureColumns | undefined>;
  /** A row of kind FIGURE_KINDS was built for the return. */
  reported(returnId: string, row: FigureColumns): void;
}

async function lastFigureInTable(trx: Kysely<ReadModelSchema>, returnId: string, position: bigint): Promise<FigureColumns | undefined> {
  return trx
    .selectFrom('value_history')
    .select(['value', 'rating', 'status', 'in_period_value', 'year_to_date_value'])
    .where('return_id', '=', returnId)
    .where('kind', 'in', [...FIGURE_KINDS])
    .where('position', '<', position)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** The rows of the three tables a batch adds, in order. */
async function valueHistoryRowsOf(
  events: readonly ValueEvent[],
  lookups: ValueHistoryLookups,
): Promise<{ requested: Array<Insertable<HistoryReturnTable>>; dueDates: Array<Insertable<HistoryDueDateTable>>; values: Array<Insertable<ValueHistoryTable>> }> {
  const requested: Array<Insertable<HistoryReturnTable>> = [];
  const dueDates: Array<Insertable<HistoryDueDateTable>> = [];
  const rows: Array<Insertable<ValueHistoryTable>> = [];
  for (const event of events) {
    const at = toInstant(event.metadata.recordedAt);
    if (event.type === 'ReturnRequested') {
      const data = event.data;
      requested.push(historyReturnRowOf(data, at, event.position));
      dueDates.push({ return_id: data.returnId, position: event.position, cycle_id: data.cycleId, due_date: data.dueDate, recorded_at: at });
      lookups.remember(data.returnId, data.periodCovered);
      continue;
    }
    if (event.type === 'ReturnFigureImported') {
      // A past figure counts from the day the council published it, not from the import: "as
      // at" an instant before the import shows what had been published by then.
      const data = event.data;
      const from = publishedInstantOf(data.published.publishedOn);
      requested.push(historyReturnRowOf(data, from, event.position));
      lookups.remember(data.returnId, data.periodCovered);
      rows.push({
        event_id: event.id,
        position: event.position,
        return_id: data.returnId,
        kpi_id: data.kpiId,
        cycle_id: data.cycleId,
        period_covered: data.periodCovered,
        kind: 'imported',
        actor: data.source.importedBy,
        recorded_at: from,
        monthly_values: JSON.stringify(data.monthlyValues),
        value: data.value,
        rating: JSON.stringify(data.rating),
        status: data.rating.status,
        commentary: data.commentary === '' ? null : data.commentary,
        reason: data.notAvailableReason ?? null,
        off_target_reason: null,
        route_to_green: null,
        data_quality_notes: null,
        imported: JSON.stringify(importedFigureNoteOf(data)),
      });
      continue;
    }
    const { returnId, kpiId, cycleId } = returnIdOfStream(event.streamId);
    if (event.type === 'ReturnDueDateChanged') {
      const data = event.data;
      dueDates.push({ return_id: returnId, position: event.position, cycle_id: cycleId, due_date: data.to, recorded_at: at });
      continue;
    }
    const columns = await columnsOf(event, returnId, lookups);
    if (columns === undefined) continue;
    // Awaited only when the look-up went to the table (the worker's memory answers at once).
    const period = lookups.periodOf(returnId);
    const row: Insertable<ValueHistoryTable> = {
      event_id: event.id,
      position: event.position,
      return_id: returnId,
      kpi_id: kpiId,
      cycle_id: cycleId,
      period_covered: (period instanceof Promise ? await period : period) ?? cycleId,
      actor: event.metadata.actor,
      recorded_at: at,
      monthly_values: '[]',
      value: null,
      in_period_value: null,
      year_to_date_value: null,
      rating: null,
      status: null,
      commentary: null,
      reason: null,
      off_target_reason: null,
      route_to_green: null,
      data_quality_notes: null,
      imported: null,
      ...columns,
    };
    rows.push(row);
    if (FIGURE_KINDS.includes(columns.kind)) lookups.reported(returnId, row);
  }
  return { requested, dueDates, values: rows };
}

/** The columns of a figure as reported (sent, sent again, or restated): the figure, its companions, months and rating. */
function reportedFigureColumns(data: ReturnSubmittedData | ReturnRestatedData) {
  return {
    value: data.value,
    in_period_value: data.inPeriodValue ?? null,
    year_to_date_value: data.yearToDateValue ?? null,
    monthly_values: JSON.stringify(data.monthlyValues),
    rating: JSON.stringify(data.rating),
    status: data.rating.status,
  };
}

/** The event-specific columns of the row an event adds, or undefined for other events. */
async function columnsOf(
  event: ValueEvent,
  returnId: string,
  lookups: ValueHistoryLookups,
): Promise<(Partial<Insertable<ValueHistoryTable>> & { kind: ValueHistoryKind }) | undefined> {
  switch (event.type) {
    case 'ReturnSubmitted':
    case 'ReturnResubmitted': {
      const data = event.data;
      return {
        kind: event.type === 'ReturnSubmitted' ? 'submitted' : 'resubmitted',
        actor: data.submittedBy,
        ...reportedFigureColumns(data),
        commentary: data.commentary,
        reason: event.type === 'ReturnResubmitted' ? event.data.responseToChallenge : null,
        off_target_reason: data.offTargetReason ?? null,
        route_to_green: data.routeToGreen ?? null,
        data_quality_notes: data.dataQualityNotes ?? null,
      };
    }
    case 'ReturnFigureMarkedNotAvailable': {
      const data = event.data;
      return { kind: 'not_available', actor: data.markedBy, reason: data.reason };
    }
    case 'ReturnChallenged': {
      const data = event.data;
      // The challenged figure is the last one reported before the challenge.
      const found = lookups.lastFigureOf(returnId, event.position);
      const challenged = found instanceof Promise ? await found : found;
      return {
        kind: 'challenged',
        actor: data.challengedBy,
        reason: data.reason,
        value: challenged?.value ?? null,
        rating: challenged?.rating ?? null,
        status: challenged?.status ?? null,
      };
    }
    case 'ReturnApproved': {
      const data = event.data;
      // The approval keeps the figures given beside the headline it approves.
      const found = data.value === null ? undefined : lookups.lastFigureOf(returnId, event.position);
      const approved = found instanceof Promise ? await found : found;
      return {
        kind: 'approved',
        actor: data.approvedBy,
        value: data.value,
        in_period_value: approved?.in_period_value ?? null,
        year_to_date_value: approved?.year_to_date_value ?? null,
        rating: JSON.stringify(data.rating),
        status: data.rating.status,
      };
    }
    case 'ReturnRestated': {
      const data = event.data;
      return {
        kind: 'restated',
        actor: data.restatedBy,
        ...reportedFigureColumns(data),
        reason: data.reason,
      };
    }
    case 'ReturnRequested':
    case 'ReturnDueDateChanged':
    case 'ReturnFigureImported':
      return undefined; // rows of their own tables, written by valueHistoryRowsOf
    default:
      return unhandledEvent(event);
  }
}

/** A return's row of `history_returns`: what its request (or an imported figure) says of it and its KPI. */
function historyReturnRowOf(data: Omit<ReturnRequestedData, 'dueDate'>, requestedAt: string, position: bigint): Insertable<HistoryReturnTable> {
  return {
    return_id: data.returnId,
    kpi_id: data.kpiId,
    cycle_id: data.cycleId,
    period_covered: data.periodCovered,
    kpi_title: data.kpi.title,
    directorate: data.kpi.directorate,
    unit: data.kpi.unit,
    decimal_places: data.kpi.decimalPlaces,
    polarity: data.kpi.polarity,
    frequency: data.kpi.frequency,
    measure_type: data.kpi.measureType,
    unit_label: data.kpi.unitLabel ?? null,
    requested_at: requestedAt,
    position,
  };
}

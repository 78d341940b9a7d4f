import { CYCLE_EVENT_TYPES, CycleEventType, RETURN_EVENT_TYPES, ReturnEventType, type ReturnRequestedData } from '@quarterly/domain';
import { DecodedEventOf } from '@quarterly/event-codec';
import { Insertable, Kysely, Selectable } from 'kysely';
import { CycleTable, ReadModelSchema, ReturnTable } from '../database/read-model-schema';
import type { ReadModelDialect } from '../database/read-model-database';
import { RowBatchWriter, type RowStatement } from '../database/row-batch.writer';
import { Projection, RebuildFold } from '../projection/projection';
import { toBigInt, toInstant, toNumber } from '../shared/column-values';
import { streamRefsOf } from '../shared/stream-refs';

type CycleRow = Insertable<CycleTable> & { requested_count: number; last_position: bigint };
type ReturnRow = Insertable<ReturnTable> & {
  challenge_count: number;
  reminder_count: number;
  chaser_count: number;
  last_position: bigint;
};

type StatusBoardEventType = CycleEventType | ReturnEventType | 'KpiOwnershipChanged' | 'KpiDefinitionAmended';
type StatusBoardEvent = DecodedEventOf<StatusBoardEventType>;

const STATUS_BOARD_EVENT_TYPES: readonly StatusBoardEventType[] = [
  ...CYCLE_EVENT_TYPES,
  ...RETURN_EVENT_TYPES,
  'KpiOwnershipChanged',
  'KpiDefinitionAmended',
];

/**
 * The live state of every cycle and return (tables `cycles`, `returns`): what the performance
 * team watches while chasing. Overdue is not stored: it depends on the time of the query.
 *
 * A batch is applied as a fold in memory: the rows the batch touches are read once, each event
 * evolves its row (unless the row's `last_position` shows it is already reflected, which makes
 * re-application a no-op), and the changed rows are written back with one upsert per chunk.
 * That keeps a rebuild to a few round trips per batch instead of one per event.
 */
export class StatusBoardProjection implements Projection<StatusBoardEventType> {
  readonly name = 'status-board';
  /** 3: past quarters and figures imported as published (`CycleImported`, `ReturnFigureImported`). */
  readonly version = 3;
  readonly eventTypes = STATUS_BOARD_EVENT_TYPES;
  readonly tables = ['cycles', 'returns'] as const;

  async apply(trx: Kysely<ReadModelSchema>, event: StatusBoardEvent): Promise<void> {
    await this.applyBatch(trx, [event]);
  }

  async applyBatch(trx: Kysely<ReadModelSchema>, events: readonly StatusBoardEvent[]): Promise<void> {
    const cycleIds = new Set<string>();
    const returnIds = new Set<string>();
    const changedKpis = new Set<string>();
    for (const event of events) {
      const refs = streamRefsOf(event.streamId);
      if (refs.returnId !== null) returnIds.add(refs.returnId);
      else if (refs.cycleId !== null) cycleIds.add(refs.cycleId);
      else if (refs.kpiId !== null) changedKpis.add(refs.kpiId);
    }
    const returns = await loadReturns(trx, [...returnIds]);
    // A new owner, title or directorate applies to the KPI's returns in cycles still open; closed
    // cycles keep what they were reported under.
    for (const row of await loadOpenCycleReturnsOf(trx, [...changedKpis])) {
      if (!returns.has(row.return_id)) returns.set(row.return_id, row);
    }
    // A register change needs the state of each return's cycle, including a return this batch
    // requests in a cycle opened by an earlier batch: where batches split must not matter.
    if (changedKpis.size > 0) {
      for (const row of returns.values()) cycleIds.add(row.cycle_id);
      for (const event of events) {
        if (event.type === 'ReturnRequested') cycleIds.add(event.data.cycleId);
      }
    }
    const cycles = await loadCycles(trx, [...cycleIds]);
    const changed = foldStatusBoard(events, {
      cycles,
      returns,
      // The KPI's returns loaded above (its open cycles' and this batch's), as they stand.
      *returnIdsOfKpi(kpiId) {
        for (const row of returns.values()) if (row.kpi_id === kpiId) yield row.return_id;
      },
    });
    await CYCLE_ROWS.write(trx, changed.cycles);
    await RETURN_ROWS.write(trx, changed.returns);
  }

  /**
   * The same fold in a rebuild's worker thread, over every cycle and return kept in memory from
   * the first event (about 1 kB a return), so no page reads the tables back.
   */
  rebuildFold(dialect: ReadModelDialect): RebuildFold<StatusBoardEventType> {
    const rows = new StatusBoardMemory();
    return {
      fold: async (events) => {
        const changed = foldStatusBoard(events, rows);
        const statements: RowStatement[] = [];
        if (changed.cycles.length > 0) statements.push(CYCLE_ROWS.statementOf(changed.cycles, dialect));
        if (changed.returns.length > 0) statements.push(RETURN_ROWS.statementOf(changed.returns, dialect));
        return statements;
      },
    };
  }
}

/** The rows a batch folds over: those it may change, each as it stands before the batch. */
interface StatusBoardRows {
  readonly cycles: Map<string, CycleRow>;
  readonly returns: Map<string, ReturnRow>;
  /** Ids of the KPI's returns among `returns` (a register change reaches those in open cycles). */
  returnIdsOfKpi(kpiId: string): Iterable<string>;
  /** Told of each return the fold adds to `returns`. */
  added?(row: ReturnRow): void;
}

/** Every cycle and return of the log so far, with the returns of each KPI (a rebuild's worker). */
class StatusBoardMemory implements StatusBoardRows {
  readonly cycles = new Map<string, CycleRow>();
  readonly returns = new Map<string, ReturnRow>();
  private readonly byKpi = new Map<string, string[]>();

  returnIdsOfKpi(kpiId: string): Iterable<string> {
    return this.byKpi.get(kpiId) ?? [];
  }

  added(row: ReturnRow): void {
    // A return's KPI never changes.
    const ids = this.byKpi.get(row.kpi_id);
    if (ids) ids.push(row.return_id);
    else this.byKpi.set(row.kpi_id, [row.return_id]);
  }
}

/**
 * Folds a batch into `rows` (changing its maps) and returns the rows it changed. Each event
 * evolves its row unless the row's `last_position` shows it is already reflected, which makes
 * re-applying a batch a no-op.
 */
function foldStatusBoard(events: readonly StatusBoardEvent[], rows: StatusBoardRows): { cycles: CycleRow[]; returns: ReturnRow[] } {
  const { cycles, returns } = rows;
  const changedCycles = new Set<string>();
  const changedReturns = new Set<string>();
  for (const event of events) {
    const refs = streamRefsOf(event.streamId);
    if (refs.returnId === null && refs.cycleId === null) {
      const changes = kpiChangesOf(event);
      if (!changes || refs.kpiId === null) continue;
      for (const returnId of rows.returnIdsOfKpi(refs.kpiId)) {
        const row = returns.get(returnId)!;
        if (row.last_position >= event.position) continue;
        if (cycles.get(row.cycle_id)?.state !== 'open') continue;
        returns.set(row.return_id, { ...row, ...changes, last_position: event.position });
        changedReturns.add(row.return_id);
      }
    } else if (refs.returnId !== null) {
      const before = returns.get(refs.returnId);
      if (before && before.last_position >= event.position) continue;
      const after = evolveReturn(before, event);
      if (after === before || after === undefined) continue;
      returns.set(refs.returnId, after);
      if (before === undefined) rows.added?.(after);
      changedReturns.add(refs.returnId);
    } else if (refs.cycleId !== null) {
      const before = cycles.get(refs.cycleId);
      if (before && before.last_position >= event.position) continue;
      const after = evolveCycle(before, event);
      if (after === before || after === undefined) continue;
      cycles.set(refs.cycleId, after);
      changedCycles.add(refs.cycleId);
    }
  }
  return { cycles: [...changedCycles].map((id) => cycles.get(id)!), returns: [...changedReturns].map((id) => returns.get(id)!) };
}

const CYCLE_ROWS = new RowBatchWriter({
  table: 'cycles',
  columns: {
    cycle_id: 'text',
    financial_year: 'text',
    quarter: 'integer',
    returns_due: 'text',
    dmt_review_deadline: 'text',
    clt_date: 'text',
    publication_date: 'text',
    state: 'text',
    requested_count: 'integer',
    opened_at: 'text',
    closed_at: 'text',
    last_position: 'bigint',
  },
  key: ['cycle_id'],
  onConflict: 'update',
});

const RETURN_ROWS = new RowBatchWriter({
  table: 'returns',
  columns: {
    return_id: 'text',
    kpi_id: 'text',
    cycle_id: 'text',
    financial_year: 'text',
    quarter: 'integer',
    period_covered: 'text',
    expected_months: 'text',
    due_date: 'text',
    kpi_title: 'text',
    directorate: 'text',
    owner: 'text',
    key_contacts: 'text',
    unit: 'text',
    polarity: 'text',
    frequency: 'text',
    measure_type: 'text',
    state: 'text',
    value: 'text',
    rating: 'text',
    submitted_by: 'text',
    submitted_at: 'text',
    approved_by: 'text',
    approved_at: 'text',
    escalation_level: 'text',
    challenge_count: 'integer',
    reminder_count: 'integer',
    chaser_count: 'integer',
    requested_at: 'text',
    updated_at: 'text',
    last_position: 'bigint',
  },
  key: ['return_id'],
  onConflict: 'update',
});

/** The cycle row after `event`, the same row when the event changes nothing, undefined for no row. */
function evolveCycle(row: CycleRow | undefined, event: StatusBoardEvent): CycleRow | undefined {
  const at = toInstant(event.metadata.recordedAt);
  if (event.type === 'CycleOpened') {
    if (row) return row;
    const data = event.data;
    return {
      cycle_id: data.cycleId,
      financial_year: data.financialYear,
      quarter: data.quarter,
      returns_due: data.timetable.returnsDue,
      dmt_review_deadline: data.timetable.dmtReviewDeadline,
      clt_date: data.timetable.cltDate,
      publication_date: data.timetable.publicationDate,
      state: 'open',
      requested_count: data.requestedReturns.length,
      opened_at: at,
      closed_at: null,
      last_position: event.position,
    };
  }
  if (event.type === 'CycleImported') {
    // A past quarter: published (outside Quarterly) on its publication date, never open here.
    if (row) return row;
    const data = event.data;
    return {
      cycle_id: data.cycleId,
      financial_year: data.financialYear,
      quarter: data.quarter,
      returns_due: data.publicationDate,
      dmt_review_deadline: data.publicationDate,
      clt_date: data.publicationDate,
      publication_date: data.publicationDate,
      state: 'imported',
      requested_count: 0,
      opened_at: at,
      closed_at: at,
      last_position: event.position,
    };
  }
  if (!row) return undefined;
  const next = { ...row, last_position: event.position };
  switch (event.type) {
    case 'CycleDeadlineExtended': {
      const data = event.data;
      return data.deadline === 'returnsDue' ? { ...next, returns_due: data.to } : { ...next, dmt_review_deadline: data.to };
    }
    case 'CycleClosed':
      return { ...next, state: 'closed', closed_at: at };
    default:
      return row;
  }
}

/** A return's first row: what the request (or an imported figure) says of the return and its KPI. */
function newReturnRow(data: Omit<ReturnRequestedData, 'dueDate'>, dueDate: string, at: string, position: bigint): ReturnRow {
  return {
    return_id: data.returnId,
    kpi_id: data.kpiId,
    cycle_id: data.cycleId,
    financial_year: data.financialYear,
    quarter: data.quarter,
    period_covered: data.periodCovered,
    expected_months: JSON.stringify(data.expectedMonths),
    due_date: dueDate,
    kpi_title: data.kpi.title,
    directorate: data.kpi.directorate,
    owner: data.kpi.owner,
    key_contacts: JSON.stringify(data.kpi.keyContacts),
    unit: data.kpi.unit,
    polarity: data.kpi.polarity,
    frequency: data.kpi.frequency,
    measure_type: data.kpi.measureType,
    state: 'requested',
    value: null,
    rating: null,
    submitted_by: null,
    submitted_at: null,
    approved_by: null,
    approved_at: null,
    escalation_level: 'none',
    challenge_count: 0,
    reminder_count: 0,
    chaser_count: 0,
    requested_at: at,
    updated_at: at,
    last_position: position,
  };
}

/** The return row after `event`, the same row when the event changes nothing, undefined for no row. */
function evolveReturn(row: ReturnRow | undefined, event: StatusBoardEvent): ReturnRow | undefined {
  const at = toInstant(event.metadata.recordedAt);
  if (event.type === 'ReturnRequested') {
    return row ?? newReturnRow(event.data, event.data.dueDate, at, event.position);
  }
  if (event.type === 'ReturnFigureImported') {
    if (row) return row;
    const data = event.data;
    // The published figure stands as approved, by nobody: approved_by stays empty.
    return {
      ...newReturnRow(data, data.published.publishedOn, at, event.position),
      state: 'approved',
      value: data.value,
      rating: JSON.stringify(data.rating),
      approved_at: at,
    };
  }
  if (!row) return undefined;
  // Each change copies the row once: `...row` then what every change sets, then its own columns.
  const position = event.position;
  switch (event.type) {
    case 'ReturnSubmitted':
    case 'ReturnResubmitted': {
      const data = event.data;
      return {
        ...row, updated_at: at, last_position: position,
        state: event.type === 'ReturnSubmitted' ? 'submitted' : 'resubmitted',
        value: data.value,
        rating: JSON.stringify(data.rating),
        submitted_by: data.submittedBy,
        submitted_at: at,
      };
    }
    case 'ReturnFigureMarkedNotAvailable': {
      const data = event.data;
      return { ...row, updated_at: at, last_position: position, state: 'marked_not_available', value: null, rating: null, submitted_by: data.markedBy, submitted_at: at };
    }
    case 'ReturnChallenged':
      return { ...row, updated_at: at, last_position: position, state: 'challenged', challenge_count: row.challenge_count + 1 };
    case 'ReturnApproved': {
      const data = event.data;
      return {
        ...row, updated_at: at, last_position: position,
        state: 'approved',
        value: data.value,
        rating: JSON.stringify(data.rating),
        approved_by: data.approvedBy,
        approved_at: at,
      };
    }
    case 'ReturnEscalated':
      return { ...row, updated_at: at, last_position: position, escalation_level: event.data.level };
    case 'ReturnRestated': {
      const data = event.data;
      return {
        ...row, updated_at: at, last_position: position,
        state: 'restated',
        value: data.value,
        rating: JSON.stringify(data.rating),
        submitted_by: data.restatedBy,
        submitted_at: at,
      };
    }
    case 'ReturnDueDateChanged':
      return { ...row, updated_at: at, last_position: position, due_date: event.data.to };
    case 'ReturnReminderSent':
      return { ...row, updated_at: at, last_position: position, reminder_count: row.reminder_count + 1 };
    case 'ReturnChased':
      return { ...row, updated_at: at, last_position: position, chaser_count: row.chaser_count + 1 };
    default:
      return row;
  }
}

async function loadCycles(trx: Kysely<ReadModelSchema>, ids: readonly string[]): Promise<Map<string, CycleRow>> {
  const rows = new Map<string, CycleRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await trx.selectFrom('cycles').selectAll().where('cycle_id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of found) rows.set(row.cycle_id, cycleRowOf(row));
  }
  return rows;
}

async function loadReturns(trx: Kysely<ReadModelSchema>, ids: readonly string[]): Promise<Map<string, ReturnRow>> {
  const rows = new Map<string, ReturnRow>();
  for (let i = 0; i < ids.length; i += 500) {
    const found = await trx.selectFrom('returns').selectAll().where('return_id', 'in', ids.slice(i, i + 500)).execute();
    for (const row of found) rows.set(row.return_id, returnRowOf(row));
  }
  return rows;
}

/** The columns of a KPI's open returns that a register event changes, or undefined for none. */
function kpiChangesOf(event: StatusBoardEvent): Partial<ReturnRow> | undefined {
  if (event.type === 'KpiOwnershipChanged') {
    const { owner, keyContacts } = event.data;
    return { owner, key_contacts: JSON.stringify(keyContacts) };
  }
  if (event.type === 'KpiDefinitionAmended') {
    const { changes } = event.data;
    const columns = {
      ...(changes.title !== undefined ? { kpi_title: changes.title } : {}),
      ...(changes.directorate !== undefined ? { directorate: changes.directorate } : {}),
    };
    return Object.keys(columns).length > 0 ? columns : undefined;
  }
  return undefined;
}

async function loadOpenCycleReturnsOf(trx: Kysely<ReadModelSchema>, kpiIds: readonly string[]): Promise<ReturnRow[]> {
  if (kpiIds.length === 0) return [];
  const found = await trx
    .selectFrom('returns')
    .selectAll()
    .where('kpi_id', 'in', kpiIds)
    .where('cycle_id', 'in', (qb) => qb.selectFrom('cycles').select('cycle_id').where('state', '=', 'open'))
    .execute();
  return found.map(returnRowOf);
}

function cycleRowOf(row: Selectable<CycleTable>): CycleRow {
  return {
    ...row,
    quarter: toNumber(row.quarter),
    requested_count: toNumber(row.requested_count),
    last_position: toBigInt(row.last_position),
  };
}

function returnRowOf(row: Selectable<ReturnTable>): ReturnRow {
  return {
    ...row,
    quarter: toNumber(row.quarter),
    challenge_count: toNumber(row.challenge_count),
    reminder_count: toNumber(row.reminder_count),
    chaser_count: toNumber(row.chaser_count),
    last_position: toBigInt(row.last_position),
  };
}

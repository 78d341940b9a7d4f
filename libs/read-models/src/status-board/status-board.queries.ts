import { localDateOf } from '@quarterly/calendar';
import { Frequency, MeasureType, Polarity, Rating, ReturnStatus } from '@quarterly/domain';
import { Kysely, Selectable, sql } from 'kysely';
import { CycleTable, ReadModelSchema, ReturnTable } from '../database/read-model-schema';
import { fromJson, toNumber } from '../shared/column-values';

export type EscalationLevelView = 'none' | 'dmt' | 'clt';

/** The states in which the service owes a figure, so a passed due date makes the return overdue. */
export const AWAITING_SERVICE_STATES: readonly ReturnStatus[] = ['requested', 'challenged'];

export interface CycleView {
  readonly cycleId: string;
  readonly financialYear: string;
  readonly quarter: number;
  readonly timetable: {
    readonly returnsDue: string;
    readonly dmtReviewDeadline: string;
    readonly cltDate: string;
    readonly publicationDate: string;
  };
  /** `imported`: a past quarter brought in by a past-figures import, published before Quarterly. */
  readonly state: 'open' | 'closed' | 'imported';
  readonly requestedCount: number;
  readonly openedAt: string;
  readonly closedAt: string | null;
}

export interface StatusBoardRow {
  readonly returnId: string;
  readonly kpiId: string;
  readonly kpiTitle: string;
  readonly directorate: string;
  readonly owner: string;
  readonly keyContacts: readonly string[];
  readonly periodCovered: string;
  readonly unit: string;
  /** The KPI's decimal places and free-text unit label as the return was requested with (from the value history; 0 and null when it has not caught up). */
  readonly decimalPlaces: number;
  readonly unitLabel: string | null;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly measureType: MeasureType;
  readonly state: ReturnStatus;
  readonly dueDate: string;
  /** Computed at query time: the service still owes a figure and the due date has passed (Europe/London). */
  readonly overdue: boolean;
  readonly value: string | null;
  readonly rating: Rating | null;
  readonly submittedBy: string | null;
  readonly submittedAt: string | null;
  readonly approvedBy: string | null;
  readonly approvedAt: string | null;
  readonly escalationLevel: EscalationLevelView;
  readonly challengeCount: number;
  readonly reminderCount: number;
  readonly chaserCount: number;
  readonly updatedAt: string;
}

export interface StatusBoardFilter {
  readonly states?: readonly ReturnStatus[];
  /** Only overdue (true) or only not overdue (false) returns. */
  readonly overdue?: boolean;
  /** Only escalated (true) or only not escalated (false) returns. */
  readonly escalated?: boolean;
  readonly directorate?: string;
  /** Returns this person owns or is a key contact for. */
  readonly person?: string;
}

export interface StatusBoard {
  readonly cycle: CycleView;
  /** The instant "overdue" was judged at. */
  readonly asOf: string;
  readonly returns: readonly StatusBoardRow[];
  /** Counts of the filtered returns per state (every state present, zero when none). */
  readonly countsByState: Readonly<Record<ReturnStatus, number>>;
  readonly overdueCount: number;
  readonly escalatedCount: number;
}

const ALL_STATES: readonly ReturnStatus[] = [
  'requested',
  'submitted',
  'challenged',
  'resubmitted',
  'marked_not_available',
  'approved',
  'restated',
];

export async function getCycle(db: Kysely<ReadModelSchema>, cycleId: string): Promise<CycleView | undefined> {
  const row = await db.selectFrom('cycles').selectAll().where('cycle_id', '=', cycleId).executeTakeFirst();
  return row && toCycleView(row);
}

/** Every cycle, newest first. */
export async function listCycles(db: Kysely<ReadModelSchema>): Promise<CycleView[]> {
  const rows = await db
    .selectFrom('cycles')
    .selectAll()
    .orderBy('financial_year', 'desc')
    .orderBy('quarter', 'desc')
    .execute();
  return rows.map(toCycleView);
}

/**
 * The status board of a cycle at `now`, ordered by directorate then KPI; undefined when the
 * cycle is unknown. Filters are combined with AND.
 */
export async function getStatusBoard(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  options: { readonly now: Date; readonly filter?: StatusBoardFilter },
): Promise<StatusBoard | undefined> {
  const cycle = await getCycle(db, cycleId);
  if (!cycle) return undefined;
  const filter = options.filter ?? {};
  const today = localDateOf(options.now);
  let query = db
    .selectFrom('returns')
    .selectAll()
    .where('cycle_id', '=', cycleId)
    .orderBy('directorate')
    .orderBy('kpi_id');
  if (filter.states !== undefined) {
    if (filter.states.length === 0) query = query.where('return_id', 'is', null);
    else query = query.where('state', 'in', [...filter.states]);
  }
  if (filter.directorate !== undefined) query = query.where('directorate', '=', filter.directorate);
  if (filter.person !== undefined) {
    // Narrowed in SQL (owner, or the id as a JSON string inside key_contacts) so that a person's
    // board does not decode every return of the cycle; the exact test on the decoded row follows.
    const quoted = `%${JSON.stringify(filter.person).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const person = filter.person;
    query = query.where((eb) => eb.or([eb('owner', '=', person), sql<boolean>`key_contacts like ${quoted} escape '\\'`]));
  }
  if (filter.escalated !== undefined) {
    query = query.where('escalation_level', filter.escalated ? '!=' : '=', 'none');
  }
  if (filter.overdue !== undefined) {
    const awaiting = [...AWAITING_SERVICE_STATES];
    query = filter.overdue
      ? query.where('state', 'in', awaiting).where('due_date', '<', today)
      : query.where((eb) => eb.or([eb('state', 'not in', awaiting), eb('due_date', '>=', today)]));
  }
  const returnRows = await query.execute();
  const displayOf = await figureDisplaysOf(db, cycleId, returnRows);
  const rows = returnRows
    .map((row) => toStatusBoardRow(row, today, displayOf.get(row.return_id)))
    .filter((r) => filter.person === undefined || r.owner === filter.person || r.keyContacts.includes(filter.person));

  const countsByState = Object.fromEntries(ALL_STATES.map((s) => [s, 0])) as Record<ReturnStatus, number>;
  for (const row of rows) countsByState[row.state] = (countsByState[row.state] ?? 0) + 1;
  return {
    cycle,
    asOf: options.now.toISOString(),
    returns: rows,
    countsByState,
    overdueCount: rows.filter((r) => r.overdue).length,
    escalatedCount: rows.filter((r) => r.escalationLevel !== 'none').length,
  };
}

export type StatusBoardGrouping = 'state' | 'directorate' | 'owner' | 'overdue' | 'escalation';

/** Groups status-board rows for display, keeping the board's order inside each group. */
export function groupStatusBoard(
  rows: readonly StatusBoardRow[],
  by: StatusBoardGrouping,
): Array<{ readonly key: string; readonly returns: readonly StatusBoardRow[] }> {
  const keyOf = (row: StatusBoardRow): string => {
    switch (by) {
      case 'state':
        return row.state;
      case 'directorate':
        return row.directorate;
      case 'owner':
        return row.owner;
      case 'overdue':
        return row.overdue ? 'overdue' : 'not_overdue';
      case 'escalation':
        return row.escalationLevel;
    }
  };
  const groups = new Map<string, StatusBoardRow[]>();
  for (const row of rows) {
    const key = keyOf(row);
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, returns]) => ({ key, returns }));
}

/** One return's row on the board, or undefined. */
export async function getReturnStatus(
  db: Kysely<ReadModelSchema>,
  returnId: string,
  now: Date,
): Promise<StatusBoardRow | undefined> {
  const row = await db.selectFrom('returns').selectAll().where('return_id', '=', returnId).executeTakeFirst();
  if (!row) return undefined;
  const display = await db.selectFrom('history_returns').select(['decimal_places', 'unit_label']).where('return_id', '=', returnId).executeTakeFirst();
  return toStatusBoardRow(row, localDateOf(now), display);
}

/** Up to this many returns, their figures' display is looked up by return; beyond, the cycle's is read whole. */
const DISPLAYS_BY_RETURN_UP_TO = 500;

/**
 * How the returns' figures are written (decimal places, unit label), from the value history, for
 * the returns of a board: looked up by return for a person's or a filtered board (a digest asks
 * for one person's returns of a cycle of thousands), read by cycle for a large one.
 */
async function figureDisplaysOf(
  db: Kysely<ReadModelSchema>,
  cycleId: string,
  rows: ReadonlyArray<{ readonly return_id: string }>,
): Promise<Map<string, { readonly decimal_places: number | bigint | string; readonly unit_label: string | null }>> {
  if (rows.length === 0) return new Map();
  const displays = db.selectFrom('history_returns').select(['return_id', 'decimal_places', 'unit_label']);
  const found =
    rows.length <= DISPLAYS_BY_RETURN_UP_TO
      ? await displays.where('return_id', 'in', rows.map((row) => row.return_id)).execute()
      : await displays.where('cycle_id', '=', cycleId).execute();
  return new Map(found.map((display) => [display.return_id, display]));
}

function toCycleView(row: Selectable<CycleTable>): CycleView {
  return {
    cycleId: row.cycle_id,
    financialYear: row.financial_year,
    quarter: toNumber(row.quarter),
    timetable: {
      returnsDue: row.returns_due,
      dmtReviewDeadline: row.dmt_review_deadline,
      cltDate: row.clt_date,
      publicationDate: row.publication_date,
    },
    state: row.state as CycleView['state'],
    requestedCount: toNumber(row.requested_count),
    openedAt: row.opened_at,
    closedAt: row.closed_at,
  };
}

function toStatusBoardRow(
  row: Selectable<ReturnTable>,
  today: string,
  display: { readonly decimal_places: number | bigint | string; readonly unit_label: string | null } | undefined,
): StatusBoardRow {
  const state = row.state as ReturnStatus;
  return {
    returnId: row.return_id,
    kpiId: row.kpi_id,
    kpiTitle: row.kpi_title,
    directorate: row.directorate,
    owner: row.owner,
    keyContacts: fromJson<string[]>(row.key_contacts),
    periodCovered: row.period_covered,
    unit: row.unit,
    decimalPlaces: display ? toNumber(display.decimal_places) : 0,
    unitLabel: display?.unit_label ?? null,
    polarity: row.polarity as Polarity,
    frequency: row.frequency as Frequency,
    measureType: row.measure_type as MeasureType,
    state,
    dueDate: row.due_date,
    overdue: AWAITING_SERVICE_STATES.includes(state) && row.due_date < today,
    value: row.value,
    rating: fromJson<Rating>(row.rating),
    submittedBy: row.submitted_by,
    submittedAt: row.submitted_at,
    approvedBy: row.approved_by,
    approvedAt: row.approved_at,
    escalationLevel: row.escalation_level as EscalationLevelView,
    challengeCount: toNumber(row.challenge_count),
    reminderCount: toNumber(row.reminder_count),
    chaserCount: toNumber(row.chaser_count),
    updatedAt: row.updated_at,
  };
}

/** A quarter whose figures are published: closed here, or a past quarter imported as published. */
export function isPublishedCycle(cycle: Pick<CycleView, 'state'>): boolean {
  return cycle.state === 'closed' || cycle.state === 'imported';
}

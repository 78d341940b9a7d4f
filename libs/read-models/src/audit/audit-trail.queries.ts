import { Kysely, Selectable } from 'kysely';
import { AuditLogTable, ReadModelSchema } from '../database/read-model-schema';
import { fromJson, toBigInt, toNumber } from '../shared/column-values';

export interface AuditEntry {
  readonly position: bigint;
  readonly eventId: string;
  readonly streamId: string;
  readonly revision: bigint;
  readonly type: string;
  readonly schemaVersion: number;
  readonly data: unknown;
  readonly actor: string;
  readonly recordedAt: string;
  readonly correlationId: string;
  readonly causationId: string;
}

/** Whose trail: a return's stream; a KPI's definition stream plus all its returns; a cycle's stream plus all its returns. */
export type AuditSubject = { readonly returnId: string } | { readonly kpiId: string } | { readonly cycleId: string };

export interface AuditTrailPage {
  /** Only events after this position (the last position of the previous page). */
  readonly after?: bigint;
  /** @defaultValue 1000 */
  readonly limit?: number;
}

/** Every event of the subject, in global order, with who, when and under which correlation. */
export async function getAuditTrail(
  db: Kysely<ReadModelSchema>,
  subject: AuditSubject,
  page: AuditTrailPage = {},
): Promise<AuditEntry[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('position').limit(page.limit ?? 1000);
  if ('returnId' in subject) query = query.where('return_id', '=', subject.returnId);
  else if ('kpiId' in subject) query = query.where('kpi_id', '=', subject.kpiId);
  else query = query.where('cycle_id', '=', subject.cycleId);
  if (page.after !== undefined) query = query.where('position', '>', page.after);
  return (await query.execute()).map(toAuditEntry);
}

/** The ids of every stream holding an event of the subject (its definition or cycle stream and its returns). */
export async function listSubjectStreams(db: Kysely<ReadModelSchema>, subject: AuditSubject): Promise<string[]> {
  let query = db.selectFrom('audit_log').select('stream_id').distinct().orderBy('stream_id');
  if ('returnId' in subject) query = query.where('return_id', '=', subject.returnId);
  else if ('kpiId' in subject) query = query.where('kpi_id', '=', subject.kpiId);
  else query = query.where('cycle_id', '=', subject.cycleId);
  return (await query.execute()).map((row) => row.stream_id);
}

function toAuditEntry(row: Selectable<AuditLogTable>): AuditEntry {
  return {
    position: toBigInt(row.position),
    eventId: row.event_id,
    streamId: row.stream_id,
    revision: toBigInt(row.revision),
    type: row.event_type,
    schemaVersion: toNumber(row.schema_version),
    data: fromJson<unknown>(row.data),
    actor: row.actor,
    recordedAt: row.recorded_at,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
  };
}

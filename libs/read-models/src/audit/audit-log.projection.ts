import { DecodedEvent } from '@quarterly/event-codec';
import { Insertable, Kysely } from 'kysely';
import { AuditLogTable, ReadModelSchema } from '../database/read-model-schema';
import { RowBatchWriter } from '../database/row-batch.writer';
import type { ReadModelDialect } from '../database/read-model-database';
import { Projection, ReadModelIndex, RebuildFold } from '../projection/projection';
import { toInstant } from '../shared/column-values';
import { streamRefsOf } from '../shared/stream-refs';

/**
 * Every event, indexed by the return, KPI and cycle it concerns (table `audit_log`), for
 * auditors: who did what, when, under which correlation, in order. The data is kept as decoded:
 * upcast to the current shape of its type (`schema_version` says which), so the history reads
 * like the rest of the engine; the stored original, with its hash, is in the event store and in
 * evidence packs.
 */
export class AuditLogProjection implements Projection {
  readonly name = 'audit-log';
  readonly version = 1;
  readonly eventTypes = undefined;
  readonly tables = ['audit_log'] as const;
  /** The audit trail's look-ups, by return, KPI or cycle: the projection only inserts (its conflict target is the primary key, the event's position). */
  readonly deferredIndexes: readonly ReadModelIndex[] = [
    ...(['return_id', 'kpi_id', 'cycle_id'] as const).map((column) => ({
      name: `audit_log_${column}_idx`,
      table: 'audit_log' as const,
      columns: [column, 'position'],
    })),
  ];

  async apply(trx: Kysely<ReadModelSchema>, event: DecodedEvent): Promise<void> {
    await this.applyBatch(trx, [event]);
  }

  /** One statement per batch (`RowBatchWriter`): the audit log is the largest table and is append-only. */
  async applyBatch(trx: Kysely<ReadModelSchema>, events: readonly DecodedEvent[]): Promise<void> {
    await AUDIT_LOG_ROWS.write(trx, events.map(rowOf));
  }

  /** The same rows, built in a rebuild's worker thread (the audit log keeps no state); copied on PostgreSQL (each row is keyed by its own event). */
  rebuildFold(dialect: ReadModelDialect): RebuildFold {
    return {
      fold: async (events) => (events.length === 0 ? [] : [AUDIT_LOG_ROWS.copyStatementOf(events.map(rowOf), dialect)]),
    };
  }
}

const AUDIT_LOG_ROWS = new RowBatchWriter({
  table: 'audit_log',
  columns: {
    event_id: 'text',
    position: 'bigint',
    stream_id: 'text',
    revision: 'bigint',
    event_type: 'text',
    schema_version: 'integer',
    data: 'text',
    actor: 'text',
    recorded_at: 'text',
    correlation_id: 'text',
    causation_id: 'text',
    return_id: 'text',
    kpi_id: 'text',
    cycle_id: 'text',
  },
  key: ['position'],
  onConflict: 'nothing',
});

function rowOf(event: DecodedEvent): Insertable<AuditLogTable> {
  const refs = streamRefsOf(event.streamId);
  return {
    event_id: event.id,
    position: event.position,
    stream_id: event.streamId,
    revision: event.revision,
    event_type: event.type,
    schema_version: event.schemaVersion,
    data: JSON.stringify(event.data),
    actor: event.metadata.actor,
    recorded_at: toInstant(event.metadata.recordedAt),
    correlation_id: event.metadata.correlationId,
    causation_id: event.metadata.causationId,
    return_id: refs.returnId,
    kpi_id: refs.kpiId,
    cycle_id: refs.cycleId,
  };
}

import { Kysely, Migration } from 'kysely';

/**
 * Drops `audit_log_stream_id_idx` (`stream_id, position`): no query reads the audit log by stream
 * (the audit trail asks by return, KPI or cycle, and lists a subject's streams through those
 * indexes), so the index only cost every audit row one more index entry, live and in a rebuild
 * (where it was the fourth deferred index built at the end: about 70 ms of PostgreSQL's time on
 * the benchmark's 100,358 events). Down makes it again.
 */
export const dropUnreadAuditStreamIndexMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('audit_log_stream_id_idx').ifExists().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('audit_log_stream_id_idx').ifNotExists().on('audit_log').columns(['stream_id', 'position']).execute();
  },
};

import { Kysely, Migration } from 'kysely';

/**
 * `history_due_dates`: every due date a return has had and when it took effect (its request, then
 * each `ReturnDueDateChanged`), so a scorecard "as at" an instant can tell a figure not yet due
 * from one that was overdue then. Filled by the value-history projection (version 2 rebuilds it).
 */
export const createHistoryDueDatesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('history_due_dates')
      .ifNotExists()
      .addColumn('return_id', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('history_due_dates_pk', ['return_id', 'position'])
      .execute();
    await db.schema
      .createIndex('history_due_dates_cycle_idx')
      .ifNotExists()
      .on('history_due_dates')
      .columns(['cycle_id', 'recorded_at'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('history_due_dates').ifExists().execute();
  },
};

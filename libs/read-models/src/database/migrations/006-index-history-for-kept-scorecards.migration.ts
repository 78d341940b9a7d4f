import { Kysely, Migration } from 'kysely';

/**
 * Indexes that let a scorecard tell, by seeks rather than scans, whether the rows it reads have
 * changed (`scorecard.cache.ts`): the latest due-date row of a cycle (`cycle_id, position`) and
 * whether anything in a cycle's value history was recorded after an instant
 * (`cycle_id, recorded_at`). The value-history projection never reads through them, so a rebuild
 * defers them (`ValueHistoryProjection.deferredIndexes`).
 */
export const indexHistoryForKeptScorecardsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createIndex('value_history_cycle_recorded_idx')
      .ifNotExists()
      .on('value_history')
      .columns(['cycle_id', 'recorded_at'])
      .execute();
    await db.schema
      .createIndex('history_due_dates_cycle_position_idx')
      .ifNotExists()
      .on('history_due_dates')
      .columns(['cycle_id', 'position'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('history_due_dates_cycle_position_idx').ifExists().execute();
    await db.schema.dropIndex('value_history_cycle_recorded_idx').ifExists().execute();
  },
};

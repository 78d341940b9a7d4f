import { Kysely, Migration } from 'kysely';

/**
 * `history_kpi_targets` and `history_kpi_plan_outcomes`: every target policy and plan outcome a
 * KPI has had, and when each took effect, so a scorecard "as at" an instant shows the target and
 * plan outcome of that instant rather than today's (`kpi_targets` and `kpis` hold only the
 * current ones). Filled by the kpi-register projection (version 2 rebuilds it).
 */
export const createKpiRegisterHistoryMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('history_kpi_targets')
      .ifNotExists()
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('financial_year', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('history_kpi_targets_pk', ['kpi_id', 'financial_year', 'position'])
      .execute();
    await db.schema
      .createTable('history_kpi_plan_outcomes')
      .ifNotExists()
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('plan_outcome', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('history_kpi_plan_outcomes_pk', ['kpi_id', 'position'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('history_kpi_plan_outcomes').ifExists().execute();
    await db.schema.dropTable('history_kpi_targets').ifExists().execute();
  },
};

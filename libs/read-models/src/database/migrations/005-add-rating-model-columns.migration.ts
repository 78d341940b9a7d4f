import { Kysely, Migration } from 'kysely';

/**
 * The rating model councils publish (issue 9): `kpi_targets.targets` and
 * `history_kpi_targets.targets` hold a year's whole target set as JSON (the year's policy, period
 * policies, rated figure, last-year basis; null on rows written before, which mean the year's
 * policy alone, like for like); `value_history.in_period_value` / `year_to_date_value` the figures
 * given beside the headline (on an approval row: those of the figure approved); `kpis.unit_label`
 * and `history_returns.unit_label` the free-text unit label figures are displayed with.
 * Filled by the kpi-register (version 3) and value-history (version 3) projections, which rebuild.
 */
export const addRatingModelColumnsMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('kpi_targets').addColumn('targets', 'text').execute();
    await db.schema.alterTable('history_kpi_targets').addColumn('targets', 'text').execute();
    await db.schema.alterTable('value_history').addColumn('in_period_value', 'text').execute();
    await db.schema.alterTable('value_history').addColumn('year_to_date_value', 'text').execute();
    await db.schema.alterTable('kpis').addColumn('unit_label', 'text').execute();
    await db.schema.alterTable('history_returns').addColumn('unit_label', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('history_returns').dropColumn('unit_label').execute();
    await db.schema.alterTable('kpis').dropColumn('unit_label').execute();
    await db.schema.alterTable('value_history').dropColumn('year_to_date_value').execute();
    await db.schema.alterTable('value_history').dropColumn('in_period_value').execute();
    await db.schema.alterTable('history_kpi_targets').dropColumn('targets').execute();
    await db.schema.alterTable('kpi_targets').dropColumn('targets').execute();
  },
};

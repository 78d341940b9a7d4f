import { Kysely } from 'kysely';
import { ReadModelSchema, ReadModelTableName } from '../database/read-model-schema';

const KEYS: Record<Exclude<ReadModelTableName, 'projection_checkpoints'>, string[]> = {
  kpis: ['kpi_id'],
  kpi_targets: ['kpi_id', 'financial_year'],
  people: ['person_id'],
  cycles: ['cycle_id'],
  returns: ['return_id'],
  history_returns: ['return_id'],
  history_due_dates: ['return_id', 'position'],
  history_kpi_targets: ['kpi_id', 'financial_year', 'position'],
  history_kpi_plan_outcomes: ['kpi_id', 'position'],
  value_history: ['event_id'],
  audit_log: ['event_id'],
};

export const READ_MODEL_TABLES = Object.keys(KEYS) as Array<keyof typeof KEYS>;

/**
 * Every row of the read-model tables, ordered by key, with integers as strings so that the two
 * drivers' representations (bigint, number, string) compare equal.
 */
export async function snapshotTables(db: Kysely<ReadModelSchema>): Promise<Record<string, Array<Record<string, unknown>>>> {
  const snapshot: Record<string, Array<Record<string, unknown>>> = {};
  for (const table of READ_MODEL_TABLES) {
    let query = db.selectFrom(table).selectAll();
    for (const key of KEYS[table]) query = query.orderBy(key as never);
    const rows = (await query.execute()) as Array<Record<string, unknown>>;
    snapshot[table] = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, typeof v === 'bigint' || typeof v === 'number' ? String(v) : v]),
      ),
    );
  }
  return snapshot;
}

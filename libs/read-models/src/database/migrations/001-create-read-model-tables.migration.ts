import { Kysely, Migration } from 'kysely';

/**
 * The first read-model schema. Column types are chosen to mean the same in both dialects:
 * `text` for decimals, JSON and instants; `bigint` for positions (INTEGER affinity in SQLite,
 * int8 in PostgreSQL); `integer` for small numbers and 0/1 flags.
 */
export const createReadModelTablesMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('projection_checkpoints')
      .ifNotExists()
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('kpis')
      .ifNotExists()
      .addColumn('kpi_id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('definition', 'text', (c) => c.notNull())
      .addColumn('directorate', 'text', (c) => c.notNull())
      .addColumn('service_area', 'text', (c) => c.notNull())
      .addColumn('plan_outcome', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('key_contacts', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('decimal_places', 'integer', (c) => c.notNull())
      .addColumn('polarity', 'text', (c) => c.notNull())
      .addColumn('frequency', 'text', (c) => c.notNull())
      .addColumn('annual_due_quarter', 'integer')
      .addColumn('measure_type', 'text', (c) => c.notNull())
      .addColumn('data_source', 'text', (c) => c.notNull())
      .addColumn('limitations', 'text', (c) => c.notNull())
      .addColumn('benchmark_sources', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('under_qa_until', 'text')
      .addColumn('retired', 'integer', (c) => c.notNull())
      .addColumn('retired_reason', 'text')
      .addColumn('retired_effective_from', 'text')
      .addColumn('defined_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('kpis_directorate_idx').ifNotExists().on('kpis').column('directorate').execute();
    await db.schema.createIndex('kpis_owner_idx').ifNotExists().on('kpis').column('owner').execute();

    await db.schema
      .createTable('kpi_targets')
      .ifNotExists()
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('financial_year', 'text', (c) => c.notNull())
      .addColumn('policy', 'text', (c) => c.notNull())
      .addColumn('set_by', 'text', (c) => c.notNull())
      .addColumn('set_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('kpi_targets_pk', ['kpi_id', 'financial_year'])
      .execute();

    await db.schema
      .createTable('people')
      .ifNotExists()
      .addColumn('person_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('roles', 'text', (c) => c.notNull())
      .addColumn('directorate', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('deactivated_reason', 'text')
      .addColumn('registered_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('cycles')
      .ifNotExists()
      .addColumn('cycle_id', 'text', (c) => c.primaryKey())
      .addColumn('financial_year', 'text', (c) => c.notNull())
      .addColumn('quarter', 'integer', (c) => c.notNull())
      .addColumn('returns_due', 'text', (c) => c.notNull())
      .addColumn('dmt_review_deadline', 'text', (c) => c.notNull())
      .addColumn('clt_date', 'text', (c) => c.notNull())
      .addColumn('publication_date', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('requested_count', 'integer', (c) => c.notNull())
      .addColumn('opened_at', 'text', (c) => c.notNull())
      .addColumn('closed_at', 'text')
      .addColumn('last_position', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('returns')
      .ifNotExists()
      .addColumn('return_id', 'text', (c) => c.primaryKey())
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('financial_year', 'text', (c) => c.notNull())
      .addColumn('quarter', 'integer', (c) => c.notNull())
      .addColumn('period_covered', 'text', (c) => c.notNull())
      .addColumn('expected_months', 'text', (c) => c.notNull())
      .addColumn('due_date', 'text', (c) => c.notNull())
      .addColumn('kpi_title', 'text', (c) => c.notNull())
      .addColumn('directorate', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('key_contacts', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('polarity', 'text', (c) => c.notNull())
      .addColumn('frequency', 'text', (c) => c.notNull())
      .addColumn('measure_type', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('value', 'text')
      .addColumn('rating', 'text')
      .addColumn('submitted_by', 'text')
      .addColumn('submitted_at', 'text')
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'text')
      .addColumn('escalation_level', 'text', (c) => c.notNull())
      .addColumn('challenge_count', 'integer', (c) => c.notNull())
      .addColumn('reminder_count', 'integer', (c) => c.notNull())
      .addColumn('chaser_count', 'integer', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('last_position', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('returns_cycle_idx').ifNotExists().on('returns').columns(['cycle_id', 'state']).execute();
    await db.schema.createIndex('returns_kpi_idx').ifNotExists().on('returns').column('kpi_id').execute();

    await db.schema
      .createTable('history_returns')
      .ifNotExists()
      .addColumn('return_id', 'text', (c) => c.primaryKey())
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('period_covered', 'text', (c) => c.notNull())
      .addColumn('kpi_title', 'text', (c) => c.notNull())
      .addColumn('directorate', 'text', (c) => c.notNull())
      .addColumn('unit', 'text', (c) => c.notNull())
      .addColumn('decimal_places', 'integer', (c) => c.notNull())
      .addColumn('polarity', 'text', (c) => c.notNull())
      .addColumn('frequency', 'text', (c) => c.notNull())
      .addColumn('measure_type', 'text', (c) => c.notNull())
      .addColumn('requested_at', 'text', (c) => c.notNull())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('history_returns_cycle_idx')
      .ifNotExists()
      .on('history_returns')
      .columns(['cycle_id', 'kpi_id'])
      .execute();
    await db.schema
      .createIndex('history_returns_kpi_idx')
      .ifNotExists()
      .on('history_returns')
      .columns(['kpi_id', 'period_covered'])
      .execute();

    await db.schema
      .createTable('value_history')
      .ifNotExists()
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('return_id', 'text', (c) => c.notNull())
      .addColumn('kpi_id', 'text', (c) => c.notNull())
      .addColumn('cycle_id', 'text', (c) => c.notNull())
      .addColumn('period_covered', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('value', 'text')
      .addColumn('monthly_values', 'text', (c) => c.notNull())
      .addColumn('rating', 'text')
      .addColumn('status', 'text')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('commentary', 'text')
      .addColumn('reason', 'text')
      .addColumn('off_target_reason', 'text')
      .addColumn('route_to_green', 'text')
      .addColumn('data_quality_notes', 'text')
      .execute();
    await db.schema
      .createIndex('value_history_kpi_idx')
      .ifNotExists()
      .on('value_history')
      .columns(['kpi_id', 'period_covered', 'position'])
      .execute();
    await db.schema
      .createIndex('value_history_cycle_idx')
      .ifNotExists()
      .on('value_history')
      .columns(['cycle_id', 'position'])
      .execute();
    await db.schema
      .createIndex('value_history_return_idx')
      .ifNotExists()
      .on('value_history')
      .columns(['return_id', 'position'])
      .execute();

    await db.schema
      .createTable('audit_log')
      .ifNotExists()
      .addColumn('event_id', 'text', (c) => c.primaryKey())
      .addColumn('position', 'bigint', (c) => c.notNull())
      .addColumn('stream_id', 'text', (c) => c.notNull())
      .addColumn('revision', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('schema_version', 'integer', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('recorded_at', 'text', (c) => c.notNull())
      .addColumn('correlation_id', 'text', (c) => c.notNull())
      .addColumn('causation_id', 'text', (c) => c.notNull())
      .addColumn('return_id', 'text')
      .addColumn('kpi_id', 'text')
      .addColumn('cycle_id', 'text')
      .execute();
    for (const column of ['position', 'return_id', 'kpi_id', 'cycle_id', 'stream_id'] as const) {
      const columns = column === 'position' ? ['position'] : [column, 'position'];
      await db.schema
        .createIndex(`audit_log_${column}_idx`)
        .ifNotExists()
        .on('audit_log')
        .columns(columns)
        .execute();
    }
  },

  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of [
      'audit_log',
      'value_history',
      'history_returns',
      'returns',
      'cycles',
      'people',
      'kpi_targets',
      'kpis',
      'projection_checkpoints',
    ]) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};

import { Kysely, Migration, sql, SqliteAdapter } from 'kysely';

/**
 * `audit_log` and `value_history` (one row per event) keyed by the event's position in the log
 * instead of its random id. Both keys identify the event equally (a position is given once and
 * never changes), and nothing reads these tables by event id; but rows arrive in position order,
 * so a key on the position grows at its end, where a key on random ids sends every insert to a
 * different page of its index. In a rebuild that cost grew with the table: each page's commit
 * wrote most of both id indexes again (SQLite commits of 17 ms at the start of a 100,000-event
 * rebuild, 76 ms at its end; docs/performance.md). `audit_log_position_idx` is dropped: the key
 * is that index now.
 *
 * SQLite cannot change a table's key in place: each table is copied into a new one whose
 * `position` is an `integer primary key` (the rowid itself, no separate index), then its indexes
 * are made again, all in one transaction (Kysely runs no SQLite migration in a transaction of its
 * own; a process killed half-way leaves the tables as they were, and the next start runs the
 * migration again). PostgreSQL swaps the primary key constraint (in Kysely's transaction).
 */
export const keyEventRowsByPositionMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      await inSqliteTransaction(db, async () => {
        await rekeySqlite(db, 'audit_log', AUDIT_LOG_COLUMNS, 'position integer primary key', AUDIT_LOG_INDEXES);
        await rekeySqlite(db, 'value_history', VALUE_HISTORY_COLUMNS, 'position integer primary key', VALUE_HISTORY_INDEXES);
      });
    } else {
      await sql`alter table audit_log drop constraint audit_log_pkey, add constraint audit_log_pkey primary key (position)`.execute(db);
      await sql`alter table value_history drop constraint value_history_pkey, add constraint value_history_pkey primary key (position)`.execute(db);
    }
    await db.schema.dropIndex('audit_log_position_idx').ifExists().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    if (db.getExecutor().adapter instanceof SqliteAdapter) {
      await inSqliteTransaction(db, async () => {
        await rekeySqlite(db, 'audit_log', AUDIT_LOG_COLUMNS, 'position bigint not null', AUDIT_LOG_INDEXES, 'event_id text primary key');
        await rekeySqlite(db, 'value_history', VALUE_HISTORY_COLUMNS, 'position bigint not null', VALUE_HISTORY_INDEXES, 'event_id text primary key');
      });
    } else {
      await sql`alter table audit_log drop constraint audit_log_pkey, add constraint audit_log_pkey primary key (event_id)`.execute(db);
      await sql`alter table value_history drop constraint value_history_pkey, add constraint value_history_pkey primary key (event_id)`.execute(db);
    }
    await db.schema.createIndex('audit_log_position_idx').ifNotExists().on('audit_log').column('position').execute();
  },
};

/** Every column after `event_id` and `position`, as migrations 001, 005 and 007 left them. */
const AUDIT_LOG_COLUMNS = [
  'stream_id text not null',
  'revision bigint not null',
  'event_type text not null',
  'schema_version integer not null',
  'data text not null',
  'actor text not null',
  'recorded_at text not null',
  'correlation_id text not null',
  'causation_id text not null',
  'return_id text',
  'kpi_id text',
  'cycle_id text',
];

const VALUE_HISTORY_COLUMNS = [
  'return_id text not null',
  'kpi_id text not null',
  'cycle_id text not null',
  'period_covered text not null',
  'kind text not null',
  'value text',
  'monthly_values text not null',
  'rating text',
  'status text',
  'actor text not null',
  'recorded_at text not null',
  'commentary text',
  'reason text',
  'off_target_reason text',
  'route_to_green text',
  'data_quality_notes text',
  'in_period_value text',
  'year_to_date_value text',
  'imported text',
];

const AUDIT_LOG_INDEXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['audit_log_return_id_idx', ['return_id', 'position']],
  ['audit_log_kpi_id_idx', ['kpi_id', 'position']],
  ['audit_log_cycle_id_idx', ['cycle_id', 'position']],
  ['audit_log_stream_id_idx', ['stream_id', 'position']],
];

const VALUE_HISTORY_INDEXES: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['value_history_kpi_idx', ['kpi_id', 'period_covered', 'position']],
  ['value_history_cycle_idx', ['cycle_id', 'position']],
  ['value_history_return_idx', ['return_id', 'position']],
  ['value_history_cycle_recorded_idx', ['cycle_id', 'recorded_at']],
];

/** Copies `table` into a new table with the given `event_id` and `position` columns, then its indexes. */
async function rekeySqlite(
  db: Kysely<unknown>,
  table: string,
  columns: readonly string[],
  position: string,
  indexes: ReadonlyArray<readonly [string, readonly string[]]>,
  eventId = 'event_id text not null',
): Promise<void> {
  const names = ['event_id', 'position', ...columns.map((column) => column.split(' ')[0]!)];
  const copy = `${table}_rekeyed`;
  await sql.raw(`create table "${copy}" (${[eventId, position, ...columns].join(', ')})`).execute(db);
  await sql.raw(`insert into "${copy}" (${names.join(', ')}) select ${names.join(', ')} from "${table}" order by position`).execute(db);
  await sql.raw(`drop table "${table}"`).execute(db);
  await sql.raw(`alter table "${copy}" rename to "${table}"`).execute(db);
  for (const [name, on] of indexes) await db.schema.createIndex(name).on(table).columns([...on]).execute();
}

/** SQLite DDL is transactional, but Kysely's migrator does not open a transaction on SQLite. */
async function inSqliteTransaction(db: Kysely<unknown>, work: () => Promise<void>): Promise<void> {
  await sql`begin immediate`.execute(db);
  try {
    await work();
  } catch (error) {
    await sql`rollback`.execute(db);
    throw error;
  }
  await sql`commit`.execute(db);
}

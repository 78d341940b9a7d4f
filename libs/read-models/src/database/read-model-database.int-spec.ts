import { PostgresTestDatabase } from '@quarterly/testing/postgres-test-database';
import { ReadModelTestDatabase, READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { Migrator, sql } from 'kysely';
import { InvalidSchemaNameError, openReadModelDatabase } from './read-model-database';
import { readModelMigrationProvider } from './read-model-migrations';

describe.each(READ_MODEL_TEST_DIALECTS)('read-model database on %s', (dialect) => {
  let testDatabase: ReadModelTestDatabase;
  beforeEach(async () => {
    testDatabase = await ReadModelTestDatabase.create(dialect, 'rmdb');
  });
  afterEach(async () => {
    await testDatabase.drop();
  });

  it('migrates idempotently: opening again keeps the rows and runs nothing twice', async () => {
    await testDatabase.db
      .insertInto('projection_checkpoints')
      .values({ name: 'x', version: 1, position: 42n, updated_at: '2024-01-01T00:00:00.000Z' })
      .execute();
    const again = await testDatabase.reopen();
    try {
      const rows = await again.db.selectFrom('projection_checkpoints').selectAll().execute();
      expect(rows.map((r) => [r.name, String(r.position)])).toEqual([['x', '42']]);
      const migrations = await sql<{ name: string }>`select name from read_model_migrations`.execute(again.db);
      expect(migrations.rows.map((r) => r.name)).toEqual(['001-create-read-model-tables', '002-create-history-due-dates', '003-create-kpi-register-history', '004-add-people-sign-in-id', '005-add-rating-model-columns', '006-index-history-for-kept-scorecards', '007-add-imported-figures', '008-key-event-rows-by-position', '009-drop-unread-audit-stream-index', '010-compare-keys-bytewise-on-postgres']);
    } finally {
      await again.close();
    }
  });

  it('keys the audit log and value history by position (migration 008): existing rows kept, a repeated event ignored, and back', async () => {
    const migrator = migratorOf(testDatabase);
    const auditRow = (eventId: string, position: bigint) => ({
      event_id: eventId, position, stream_id: 'return-A:2024/25-Q1', revision: position, event_type: 'ReturnSubmitted',
      schema_version: 1, data: '{"value":"1.50"}', actor: 'x', recorded_at: '2024-07-02T00:00:00.000Z',
      correlation_id: 'c', causation_id: 'c', return_id: 'A:2024/25-Q1', kpi_id: 'A', cycle_id: '2024/25-Q1',
    });
    const valueRow = (eventId: string, position: bigint) => ({
      event_id: eventId, position, return_id: 'A:2024/25-Q1', kpi_id: 'A', cycle_id: '2024/25-Q1',
      period_covered: '2024/25-Q1', kind: 'submitted', value: '1.50', monthly_values: '[]', actor: 'x',
      recorded_at: '2024-07-02T00:00:00.000Z',
    });
    const down = await migrator.migrateTo('007-add-imported-figures');
    expect(down.error).toBeUndefined();
    expect(down.results?.map((r) => r.migrationName)).toEqual(['010-compare-keys-bytewise-on-postgres', '009-drop-unread-audit-stream-index', '008-key-event-rows-by-position']);
    await testDatabase.db.insertInto('audit_log').values([auditRow('e2', 2n), auditRow('e1', 1n)]).execute();
    await testDatabase.db.insertInto('value_history').values([valueRow('e2', 2n), valueRow('e1', 1n)]).execute();

    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    const snapshot = async () => ({
      audit: await testDatabase.db.selectFrom('audit_log').selectAll().orderBy('position').execute(),
      values: await testDatabase.db.selectFrom('value_history').selectAll().orderBy('position').execute(),
    });
    const migrated = await snapshot();
    expect(migrated.audit.map((r) => [r.event_id, String(r.position), r.data])).toEqual([['e1', '1', '{"value":"1.50"}'], ['e2', '2', '{"value":"1.50"}']]);
    expect(migrated.values.map((r) => [r.event_id, String(r.position), r.value])).toEqual([['e1', '1', '1.50'], ['e2', '2', '1.50']]);
    // The projections' conflict target: the same event (same position) again changes nothing.
    await testDatabase.db.insertInto('audit_log').values({ ...auditRow('e1', 1n), data: 'other' }).onConflict((c) => c.column('position').doNothing()).execute();
    await testDatabase.db.insertInto('value_history').values({ ...valueRow('e1', 1n), value: '9' }).onConflict((c) => c.column('position').doNothing()).execute();
    expect(await snapshot()).toEqual(migrated);
    // The message, not toThrow: better-sqlite3's errors may come from another test file's realm.
    await expect(testDatabase.db.insertInto('audit_log').values(auditRow('e3', 2n)).execute()).rejects.toHaveProperty(
      'message',
      expect.stringMatching(/UNIQUE constraint failed: audit_log\.position|"audit_log_pkey"/),
    );

    const indexes = await indexNames(testDatabase);
    expect(indexes).not.toContain('audit_log_position_idx');
    expect(indexes).toEqual(expect.arrayContaining(['audit_log_return_id_idx', 'value_history_return_idx', 'value_history_cycle_recorded_idx']));

    expect((await migrator.migrateTo('007-add-imported-figures')).error).toBeUndefined();
    expect(await indexNames(testDatabase)).toEqual(expect.arrayContaining(['audit_log_position_idx', 'value_history_return_idx']));
    await testDatabase.db.insertInto('audit_log').values(auditRow('e1', 7n)).onConflict((c) => c.column('event_id').doNothing()).execute();
    expect((await testDatabase.db.selectFrom('audit_log').select('position').orderBy('position').execute()).map((r) => String(r.position))).toEqual(['1', '2']);
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
  });

  it('drops the audit index no query reads, by stream (migration 009), and makes it again going down', async () => {
    const migrator = migratorOf(testDatabase);
    const latest = await indexNames(testDatabase);
    expect(latest).not.toContain('audit_log_stream_id_idx');
    expect(latest).toEqual(expect.arrayContaining(['audit_log_return_id_idx', 'audit_log_kpi_id_idx', 'audit_log_cycle_id_idx']));
    const down = await migrator.migrateTo('008-key-event-rows-by-position');
    expect(down.results?.map((r) => [r.migrationName, r.status])).toEqual([
      ['010-compare-keys-bytewise-on-postgres', 'Success'],
      ['009-drop-unread-audit-stream-index', 'Success'],
    ]);
    expect(await indexNames(testDatabase)).toContain('audit_log_stream_id_idx');
    expect((await migrator.migrateToLatest()).error).toBeUndefined();
    expect(await indexNames(testDatabase)).not.toContain('audit_log_stream_id_idx');
  });

  it('orders identifiers byte by byte, as SQLite does, and keeps the rows across migration 010 down and up', async () => {
    const migrator = migratorOf(testDatabase);
    // Upper case before lower case and punctuation by its code: byte order, not a language's. (A
    // C.UTF-8 cluster, as the tests' own, agrees on these ids; a language's rules, as en_GB.UTF-8's,
    // weigh case and punctuation last. The columns' collation, checked below, is what fails
    // without the migration.)
    const ids = ['b-2:2026/27-Q1', 'B-10:2026/27-Q1', 'a_1:2026/27-Q1', 'A-1:2026/27-Q1', 'a-1:2026/27-Q1'];
    const row = (returnId: string, position: bigint) => ({
      return_id: returnId, kpi_id: returnId.split(':')[0]!, cycle_id: '2026/27-Q1', period_covered: '2026/27-Q1', kpi_title: 't',
      directorate: 'd', unit: 'number', decimal_places: 0, polarity: 'none', frequency: 'quarterly', measure_type: 'in_period',
      requested_at: '2026-07-01T00:00:00.000Z', position,
    });
    await testDatabase.db.insertInto('history_returns').values(ids.map((id, i) => row(id, BigInt(i + 1)))).execute();
    const ordered = async () => (await testDatabase.db.selectFrom('history_returns').select('return_id').orderBy('return_id').execute()).map((r) => r.return_id);
    const bytewise = [...ids].sort((a, b) => (Buffer.compare(Buffer.from(a), Buffer.from(b))));
    expect(await ordered()).toEqual(bytewise);
    if (testDatabase.dialect === 'postgres') {
      const collations = async () =>
        (
          await sql<{ collation_name: string | null }>`select collation_name from information_schema.columns
            where table_schema = current_schema() and table_name = 'returns' and column_name in ('return_id', 'kpi_id', 'cycle_id', 'state')`.execute(testDatabase.db)
        ).rows.map((r) => r.collation_name);
      expect(await collations()).toEqual(['C', 'C', 'C', 'C']);
      expect((await migrator.migrateDown()).results?.map((r) => r.migrationName)).toEqual(['010-compare-keys-bytewise-on-postgres']);
      expect(await collations()).toEqual([null, null, null, null]);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      expect(await collations()).toEqual(['C', 'C', 'C', 'C']);
    }
    expect(await ordered()).toEqual(bytewise);
  });

  it('keeps decimals exactly as reported and 64-bit positions without loss', async () => {
    const position = 9_007_199_254_740_993n; // 2^53 + 1: a double would round it
    await testDatabase.db
      .insertInto('projection_checkpoints')
      .values({ name: 'big', version: 1, position, updated_at: '2024-01-01T00:00:00.000Z' })
      .execute();
    const row = await testDatabase.db.selectFrom('projection_checkpoints').select('position').executeTakeFirstOrThrow();
    expect(BigInt(row.position)).toBe(position);

    await testDatabase.db
      .insertInto('history_returns')
      .values({
        return_id: 'A:2024/25-Q1', kpi_id: 'A', cycle_id: '2024/25-Q1', period_covered: '2024/25-Q1', kpi_title: 't',
        directorate: 'd', unit: 'money', decimal_places: 2, polarity: 'none', frequency: 'quarterly',
        measure_type: 'in_period', requested_at: '2024-07-01T00:00:00.000Z', position: 1n,
      })
      .execute();
    await testDatabase.db
      .insertInto('value_history')
      .values({
        event_id: 'e1', position: 2n, return_id: 'A:2024/25-Q1', kpi_id: 'A', cycle_id: '2024/25-Q1',
        period_covered: '2024/25-Q1', kind: 'submitted', value: '1234.50', monthly_values: '[]', rating: null,
        status: null, actor: 'x', recorded_at: '2024-07-02T00:00:00.000Z', commentary: null, reason: null,
        off_target_reason: null, route_to_green: null, data_quality_notes: null,
      })
      .execute();
    const value = await testDatabase.db.selectFrom('value_history').select('value').executeTakeFirstOrThrow();
    expect(value.value).toBe('1234.50');
  });

  if (dialect === 'postgres') {
    it('on the default search path, migrates its own schema though another schema has read-model tables', async () => {
      // testDatabase's schema is migrated; a deployment whose search path starts elsewhere must
      // not take that schema's migration table for its own.
      const fresh = await PostgresTestDatabase.create('rmdb_path');
      const url = new URL(fresh.connectionString);
      url.searchParams.set('options', `-c search_path=${fresh.schema}`);
      try {
        const database = await openReadModelDatabase({ dialect: 'postgres', connectionString: url.toString() });
        try {
          const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
          expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([fresh.schema]));
          expect(tables.map((t) => t.name)).toEqual(expect.arrayContaining(['projection_checkpoints', 'read_model_migrations']));
          const migrations = await sql<{ name: string }>`select name from read_model_migrations`.execute(database.db);
          expect(migrations.rows.map((r) => r.name)).toEqual(['001-create-read-model-tables', '002-create-history-due-dates', '003-create-kpi-register-history', '004-add-people-sign-in-id', '005-add-rating-model-columns', '006-index-history-for-kept-scorecards', '007-add-imported-figures', '008-key-event-rows-by-position', '009-drop-unread-audit-stream-index', '010-compare-keys-bytewise-on-postgres']);
        } finally {
          await database.close();
        }
      } finally {
        await fresh.drop();
      }
    });

    it('refuses a schema name that is not a plain identifier', async () => {
      await expect(
        openReadModelDatabase({ dialect: 'postgres', connectionString: testDatabase.postgres!.connectionString, schema: 'x; drop' }),
      ).rejects.toBeInstanceOf(InvalidSchemaNameError);
    });
  }
});

/** The read models' own migrator over the test database, to migrate down and up as a test needs. */
function migratorOf(testDatabase: ReadModelTestDatabase): Migrator {
  return new Migrator({
    db: testDatabase.db,
    provider: readModelMigrationProvider,
    migrationTableName: 'read_model_migrations',
    migrationLockTableName: 'read_model_migrations_lock',
    ...(testDatabase.database.schema ? { migrationTableSchema: testDatabase.database.schema } : {}),
  });
}

async function indexNames(testDatabase: ReadModelTestDatabase): Promise<string[]> {
  const rows =
    testDatabase.dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'index'`.execute(testDatabase.db)
      : await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema()`.execute(testDatabase.db);
  return rows.rows.map((row) => row.name);
}

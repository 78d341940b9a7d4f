import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openReadModelDatabase, type ReadModelDatabase } from '@quarterly/read-models';
import { PostgresTestDatabase } from './postgres-test-database';

export type ReadModelTestDialect = 'sqlite' | 'postgres';

/** Both dialects: integration tests run the same body against each (`describe.each`). */
export const READ_MODEL_TEST_DIALECTS: readonly ReadModelTestDialect[] = ['sqlite', 'postgres'];

/**
 * A migrated read-model database of its own for one test: a SQLite file in a fresh temporary
 * directory, or a random schema on the PostgreSQL server named by `DATABASE_URL` (which must be
 * set: integration tests never skip silently). `drop()` closes and removes it.
 */
export class ReadModelTestDatabase {
  private constructor(
    readonly dialect: ReadModelTestDialect,
    readonly database: ReadModelDatabase,
    /** SQLite: the database file, which an embedded event store may share. */
    readonly sqliteFile: string | undefined,
    /** PostgreSQL: the schema, which an event store may share. */
    readonly postgres: PostgresTestDatabase | undefined,
    private readonly tmpDir: string | undefined,
  ) {}

  static async create(dialect: ReadModelTestDialect, prefix = 'read_models'): Promise<ReadModelTestDatabase> {
    if (dialect === 'sqlite') {
      const tmpDir = mkdtempSync(join(tmpdir(), `${prefix}-`));
      const sqliteFile = join(tmpDir, 'quarterly.sqlite');
      const database = await openReadModelDatabase({ dialect: 'sqlite', filename: sqliteFile });
      return new ReadModelTestDatabase(dialect, database, sqliteFile, undefined, tmpDir);
    }
    const postgres = await PostgresTestDatabase.create(prefix);
    try {
      const database = await openReadModelDatabase({
        dialect: 'postgres',
        connectionString: postgres.connectionString,
        schema: postgres.schema,
        poolSize: 3,
      });
      return new ReadModelTestDatabase(dialect, database, undefined, postgres, undefined);
    } catch (error) {
      await postgres.drop();
      throw error;
    }
  }

  get db(): ReadModelDatabase['db'] {
    return this.database.db;
  }

  /** Opens a second connection to the same database (a restart), migrating again (a no-op). */
  async reopen(): Promise<ReadModelDatabase> {
    if (this.sqliteFile !== undefined) return openReadModelDatabase({ dialect: 'sqlite', filename: this.sqliteFile });
    return openReadModelDatabase({
      dialect: 'postgres',
      connectionString: this.postgres!.connectionString,
      schema: this.postgres!.schema,
      poolSize: 2,
    });
  }

  async drop(): Promise<void> {
    await this.database.close();
    if (this.postgres) await this.postgres.drop();
    if (this.tmpDir) rmSync(this.tmpDir, { recursive: true, force: true });
  }
}

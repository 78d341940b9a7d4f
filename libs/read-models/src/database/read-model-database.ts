import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDatabase, SqliteDialect, SqliteStatement, sql } from 'kysely';
import { Pool } from 'pg';
import { routeRowCopies } from './postgres-copy';
import { readModelMigrationProvider } from './read-model-migrations';
import { sqliteRowBatchWidth } from './row-batch.writer';
import { ReadModelSchema } from './read-model-schema';
import { SchemaScopedPostgresDialect } from './schema-scoped-postgres-introspector';

export type ReadModelDialect = 'sqlite' | 'postgres';

/** Where the read models live. */
export type ReadModelDatabaseOptions =
  | {
      readonly dialect: 'sqlite';
      /**
       * Path of the SQLite file. It may be the event store's file (embedded mode): the read models
       * always open their own connection, so the store's connection is never shared.
       */
      readonly filename: string;
      /**
       * How long a statement waits for another connection's write lock before failing.
       * @defaultValue 5000
       */
      readonly busyTimeoutMs?: number;
    }
  | {
      readonly dialect: 'postgres';
      /** A libpq connection string, e.g. `postgres://user:pass@127.0.0.1:5432/quarterly`. */
      readonly connectionString: string;
      /**
       * A schema to create (if missing) and put first on the search path, so that several
       * deployments or test runs can share one database without seeing each other's tables.
       * @defaultValue the server's search path (usually `public`)
       */
      readonly schema?: string;
      /**
       * Largest number of pooled connections.
       * @defaultValue 5
       */
      readonly poolSize?: number;
      /**
       * Told about connections the server dropped (a restart, a failover, an administrator's
       * `pg_terminate_backend`). The pool discards them and the next query reconnects.
       * @defaultValue ignored
       */
      readonly onConnectionError?: (error: Error) => void;
      /**
       * How long to wait for a new connection before failing the query, so that a request
       * during an outage is refused quickly instead of waiting for the TCP timeout.
       * @defaultValue 5000
       */
      readonly connectionTimeoutMs?: number;
    };

/** An open read-model database: a Kysely instance plus what the dialect needs to close it. */
export interface ReadModelDatabase {
  readonly db: Kysely<ReadModelSchema>;
  readonly dialect: ReadModelDialect;
  /** The PostgreSQL schema in use, when one was given. */
  readonly schema?: string;
  /** Readiness for `/health`: resolves when the database answers a query. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** A migration failed; the database is left at the last migration that succeeded. */
export class ReadModelMigrationError extends Error {
  override readonly name = 'ReadModelMigrationError';
  constructor(
    readonly migrationName: string | undefined,
    options?: { cause?: unknown },
  ) {
    super(`read-model migration ${migrationName ?? '(unknown)'} failed`, options);
  }
}

/** A schema name that cannot be used safely as an identifier. */
export class InvalidSchemaNameError extends Error {
  override readonly name = 'InvalidSchemaNameError';
  constructor(readonly schema: string) {
    super(`invalid PostgreSQL schema name: ${JSON.stringify(schema)} (letters, digits and _ only)`);
  }
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/i;

/**
 * Opens the read-model database and brings its schema up to date (idempotent: migrations that
 * already ran are skipped, and concurrent starters are serialised by Kysely's migration lock).
 */
export async function openReadModelDatabase(
  options: ReadModelDatabaseOptions,
): Promise<ReadModelDatabase> {
  const database =
    options.dialect === 'sqlite' ? openSqlite(options) : await openPostgres(options);
  try {
    await migrateReadModelDatabase(database);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/** Runs every pending migration. */
export async function migrateReadModelDatabase(database: ReadModelDatabase): Promise<void> {
  const migrator = new Migrator({
    db: database.db,
    provider: readModelMigrationProvider,
    migrationTableName: 'read_model_migrations',
    migrationLockTableName: 'read_model_migrations_lock',
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new ReadModelMigrationError(failed?.migrationName, { cause: error });
  }
}

function openSqlite(
  options: Extract<ReadModelDatabaseOptions, { dialect: 'sqlite' }>,
): ReadModelDatabase {
  const connection = new BetterSqlite3(options.filename);
  connection.pragma('journal_mode = WAL');
  // FULL: a committed checkpoint survives a power cut, like the events it points at.
  connection.pragma('synchronous = FULL');
  connection.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  connection.pragma('foreign_keys = ON');
  // Positions are 64-bit: read them as bigint, never as a lossy double.
  connection.defaultSafeIntegers(true);
  const db = new Kysely<ReadModelSchema>({
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
  });
  return {
    db,
    dialect: 'sqlite',
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/**
 * Kysely prepares every query afresh; projections run the same few statements thousands of times
 * in a rebuild, so prepared statements are kept (better-sqlite3 statements are reusable) in a
 * bounded cache, the oldest dropped first.
 *
 * A text marked as a row batch (a `RowBatchWriter`'s, see `sqliteRowBatchMark`) is a single-row
 * statement whose parameters are many rows, one after another: it is run once per row, in the
 * caller's transaction.
 */
function withStatementCache(connection: BetterSqlite3.Database, size = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => connection.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement === undefined) {
        const width = sqliteRowBatchWidth(text);
        statement = width !== undefined ? rowBatchStatement(connection.prepare(text), width) : withRowsBuiltInJs(connection.prepare(text));
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
        cache.set(text, statement);
      }
      return statement;
    },
  };
}

/**
 * A statement whose rows are read as arrays and made into objects by a function compiled for its
 * columns. better-sqlite3 builds each row object key by key in C++, which costs about twice as
 * much as an object literal of a fixed shape (4.5 ms against 2.4 ms of CPU for 1,024 rows of the
 * value history: docs/performance.md). Same rows: column names as keys, a repeated name's last
 * value wins, as in better-sqlite3's objects.
 */
function withRowsBuiltInJs(statement: BetterSqlite3.Statement): SqliteStatement {
  if (!statement.reader) return statement;
  const raw = statement.raw(true);
  const names = raw.columns().map((column) => column.name);
  // The keys are JSON string literals: any column name is safe in the generated source.
  const rowOf = new Function('r', `return {${names.map((name, i) => `${JSON.stringify(name)}: r[${i}]`).join(', ')}};`) as (values: unknown[]) => unknown;
  return {
    reader: true,
    all: (parameters) => (raw.all(parameters as unknown[]) as unknown[][]).map(rowOf),
    run: (parameters) => raw.run(parameters as unknown[]),
    iterate: function* (parameters) {
      for (const values of raw.iterate(parameters as unknown[]) as IterableIterator<unknown[]>) yield rowOf(values);
    },
  };
}

/** Runs a single-row statement once per row of its parameters (`[...row1, ...row2, ...]`, `width` values a row). */
function rowBatchStatement(statement: BetterSqlite3.Statement, width: number): SqliteStatement {
  return {
    reader: false,
    all: () => {
      throw new Error('a row batch statement returns no rows');
    },
    iterate: () => {
      throw new Error('a row batch statement returns no rows');
    },
    run: (values: ReadonlyArray<unknown>) => {
      if (values.length % width !== 0) throw new Error(`a row batch of ${width} values a row was given ${values.length} values`);
      // One array refilled for every row: better-sqlite3 binds its values and keeps nothing.
      const row = new Array<unknown>(width);
      let changes = 0;
      for (let at = 0; at < values.length; at += width) {
        for (let i = 0; i < width; i += 1) row[i] = values[at + i];
        changes += statement.run(row).changes;
      }
      return { changes, lastInsertRowid: 0 };
    },
  };
}

async function openPostgres(
  options: Extract<ReadModelDatabaseOptions, { dialect: 'postgres' }>,
): Promise<ReadModelDatabase> {
  const { schema } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new InvalidSchemaNameError(schema);
  const pool = new Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 5,
    // The search path is set per connection at start-up; the schema may not exist yet, which
    // PostgreSQL allows (it resolves the path per statement).
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
  });
  // node-postgres emits 'error' on the pool for an idle connection the server ended, and on a
  // checked-out client between two queries (inside a transaction); an 'error' nobody listens for
  // ends the process. The pool discards the broken connection; the query in flight, if any, is
  // rejected and reported as unavailable (see isReadModelUnavailable).
  const onConnectionError = (error: Error) => options.onConnectionError?.(error);
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => {
    client.on('error', onConnectionError);
    routeRowCopies(client);
  });
  const db = new Kysely<ReadModelSchema>({ dialect: new SchemaScopedPostgresDialect({ pool }, schema) });
  try {
    if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    db,
    dialect: 'postgres',
    ...(schema ? { schema } : {}),
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/**
 * A PostgreSQL schema of its own for one test file, on the server named by `DATABASE_URL`.
 *
 * Integration tests never skip silently: without `DATABASE_URL` they fail with the commands that
 * provide it. Each file gets a fresh random schema, so files running in parallel do not see
 * each other's rows; `drop()` removes it with everything in it.
 */
export class PostgresTestDatabase {
  private constructor(
    /** The connection string from `DATABASE_URL`. */
    readonly connectionString: string,
    /** The random schema created for this test file (a plain identifier, safe to interpolate). */
    readonly schema: string,
  ) {}

  /** Reads `DATABASE_URL` and creates a fresh schema named `<prefix>_<random>`. */
  static async create(prefix = 'test'): Promise<PostgresTestDatabase> {
    const connectionString = postgresTestUrl();
    const safePrefix = prefix.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 40);
    const schema = `${safePrefix}_${randomBytes(6).toString('hex')}`;
    await withClient(connectionString, (client) => client.query(`CREATE SCHEMA "${schema}"`));
    return new PostgresTestDatabase(connectionString, schema);
  }

  /** Drops the schema and everything in it. */
  async drop(): Promise<void> {
    await withClient(this.connectionString, (client) =>
      client.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`),
    );
  }
}

/** The `DATABASE_URL` for integration tests; throws with the fix when it is not set. */
export function postgresTestUrl(): string {
  const url = process.env['DATABASE_URL'];
  if (!url) {
    throw new Error(
      'DATABASE_URL is not set: run `bash infra/local/postgres.sh start` and export ' +
        'DATABASE_URL=$(bash infra/local/postgres.sh url)',
    );
  }
  return url;
}

async function withClient<T>(connectionString: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

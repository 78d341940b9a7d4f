/**
 * Every projection following the store in a process of its own, for the test that kills it with
 * SIGKILL in the middle of the log and checks that a restart resumes exactly. Small batches, so
 * that the kill lands between many committed batches. Prints `ready` once following.
 *
 * Environment: SQLITE_FILE, or DATABASE_URL and SCHEMA; BATCH_SIZE.
 */
import { PostgresEventStore, SqliteEventStore } from '@quarterly/event-store';
import { allProjections } from '../all-projections';
import { openReadModelDatabase } from '../database/read-model-database';
import { ProjectionRunner } from '../projection/projection-runner';

async function main(): Promise<void> {
  const sqliteFile = process.env['SQLITE_FILE'];
  const batchSize = Number(process.env['BATCH_SIZE'] ?? '5');
  const store = sqliteFile
    ? new SqliteEventStore({ filename: sqliteFile, pollIntervalMs: 50 })
    : await PostgresEventStore.open({ connectionString: process.env['DATABASE_URL']!, schema: process.env['SCHEMA']!, pollIntervalMs: 50 });
  const readModels = sqliteFile
    ? await openReadModelDatabase({ dialect: 'sqlite', filename: sqliteFile })
    : await openReadModelDatabase({ dialect: 'postgres', connectionString: process.env['DATABASE_URL']!, schema: process.env['SCHEMA']! });
  await ProjectionRunner.group(store, readModels, allProjections(), { batchSize }).start();
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
  process.exit(1);
});

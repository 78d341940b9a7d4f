import { EventCodec, eventCodec } from '@quarterly/event-codec';
import { EventStore } from '@quarterly/event-store/event-store.port';
import { sql } from 'kysely';
import { ReadModelDatabase } from '../database/read-model-database';
import { runRowStatement } from '../database/row-batch.writer';
import { deleteCheckpoint, writeCheckpoint } from './checkpoint.store';
import { dropIndex, ensureIndex, Projection, projectionAccepts, ReadModelIndex } from './projection';
import { applyTo } from './projection-feed';
import { InThreadPageSource, RebuildPageSource, RebuildWorkerOptions, WorkerPageSource } from './projection-rebuild-pages';

export interface ProjectionSetRebuildOptions {
  /** Events read and applied per transaction. @defaultValue 5000 */
  readonly batchSize?: number;
  readonly codec?: EventCodec;
  readonly clock?: () => Date;
  /** Called after every committed page (the deferred indexes are created after the last). */
  readonly onProgress?: (progress: { readonly eventsRead: number; readonly elapsedMs: number; readonly eventsPerSecond: number }) => void;
  /**
   * Read, decode and fold the log in a worker thread (the second core) while this thread only
   * writes: the projections with a `rebuildFold` are folded there and hand over their statements;
   * the others are applied here to the decoded events the worker hands over. Ignored with a
   * codec of the caller's own (the worker decodes through the engine's).
   * @defaultValue read, decode and fold in this thread
   */
  readonly worker?: RebuildWorkerOptions;
}

/** SQLite's page cache during a rebuild, in KiB (negative: SQLite's unit for a size in KiB). */
const REBUILD_SQLITE_CACHE_KIB = -65_536;

export interface ProjectionSetRebuildResult {
  readonly projections: readonly string[];
  /** Events of the log read (each once, whatever the number of projections). */
  readonly eventsRead: number;
  readonly elapsedMs: number;
  /** Events of the log per second. */
  readonly eventsPerSecond: number;
  /** The projections folded in the worker thread (none without `worker`). */
  readonly foldedInWorker: readonly string[];
}

/**
 * Rebuilds several projections from zero in one pass over the log: their tables and
 * checkpoints are emptied in one transaction, then each page of events is read once, decoded
 * once, and applied to every projection that wants it, with every checkpoint, in one
 * transaction. The rows are those that rebuilding each projection alone gives (each projection
 * still sees only its own events, in order); a failure rolls back the page, and the checkpoints
 * say how far each got, as with `ProjectionRunner.rebuild`.
 *
 * What makes it fast: pages of 5,000 events (one commit each), the next page read while this
 * one is applied; the projections write each table's rows of a page in one statement
 * (`RowBatchWriter`); on PostgreSQL the projections' statements queue together on the page's
 * transaction, so Node folds one projection while the server writes another; the deferred
 * indexes (`Projection.deferredIndexes`) dropped with the rows and created again once at the
 * end (also when the rebuild fails; a rebuild killed half-way has them created again when the
 * projections start); and on SQLite the read-model connection commits without waiting for the
 * disk (`synchronous = NORMAL`, WAL: a power cut may lose the last pages, never mix them up;
 * each page's checkpoints are in its own transaction) and with a page cache of 64 MiB instead
 * of SQLite's default 2 MiB (rows keyed by random event ids land all over the tables) until the
 * rebuild ends.
 *
 * The projections' live runners must be stopped meanwhile (the CLI's `rebuild-projections`
 * stops and restarts them).
 */
export async function rebuildProjectionSet(
  store: EventStore,
  database: ReadModelDatabase,
  projections: readonly Projection[],
  options: ProjectionSetRebuildOptions = {},
): Promise<ProjectionSetRebuildResult> {
  const batchSize = options.batchSize ?? 5000;
  const codec = options.codec ?? eventCodec;
  const clock = options.clock ?? (() => new Date());
  const started = performance.now();
  const deferred = projections.flatMap((projection) => projection.deferredIndexes ?? []);
  // The tables are emptied while the worker thread starts (a quarter of a second under a
  // TypeScript loader, a tenth bundled), in a transaction that commits only once it is ready: one
  // that cannot start (its code, its connection) leaves the read models as they were.
  const starting = options.worker !== undefined && codec === eventCodec ? WorkerPageSource.start(options.worker, projections, database.dialect, batchSize) : undefined;
  starting?.catch(() => undefined); // awaited below, also when emptying fails first
  let worker: WorkerPageSource | undefined;
  try {
    await emptyTables(database, projections, deferred, async () => {
      worker = await starting;
    });
  } catch (error) {
    await (worker ?? (await starting?.catch(() => undefined)))?.close();
    throw error;
  }
  let eventsRead = 0;
  // PostgreSQL: the server works while Node builds rows (see below); SQLite runs in this thread.
  const overlap = database.dialect === 'postgres';
  const pages: RebuildPageSource = worker ?? new InThreadPageSource(store, codec, batchSize);
  let foldedInWorker: readonly string[] = [];
  try {
    if (database.dialect === 'sqlite') {
      await sql`pragma synchronous = NORMAL`.execute(database.db);
      await sql.raw(`pragma cache_size = ${REBUILD_SQLITE_CACHE_KIB}`).execute(database.db);
    }
    const { folded } = pages;
    foldedInWorker = projections.filter((projection) => folded.has(projection.name)).map((projection) => projection.name);
    for (;;) {
      const page = await pages.next();
      if (page === undefined) break;
      const updatedAt = clock().toISOString();
      await database.db.transaction().execute(async (trx) => {
        const apply = async (projection: Projection) => {
          if (!folded.has(projection.name)) {
            await applyTo(trx, projection, page.events.filter((event) => projectionAccepts(projection, event)), page.last, updatedAt);
            return;
          }
          for (const statement of page.statements.get(projection.name) ?? []) await runRowStatement(trx, statement);
          await writeCheckpoint(trx, projection.name, { version: projection.version, position: page.last }, updatedAt);
        };
        if (!overlap) {
          for (const projection of projections) await apply(projection);
          return;
        }
        // Every projection's statements queue on the transaction's one connection, each
        // projection's in order; while one statement runs on the server, Node folds the next
        // projection's rows. All settle before the transaction commits or rolls back.
        const settled = await Promise.allSettled(projections.map(apply));
        const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failed) throw failed.reason;
      });
      eventsRead += page.count;
      if (options.onProgress) {
        const elapsedMs = performance.now() - started;
        options.onProgress({ eventsRead, elapsedMs, eventsPerSecond: elapsedMs > 0 ? (eventsRead * 1000) / elapsedMs : 0 });
      }
    }
  } finally {
    await pages.close();
    if (database.dialect === 'sqlite') {
      await sql`pragma synchronous = FULL`.execute(database.db);
      await sql`pragma cache_size = -2000`.execute(database.db);
    }
    await createIndexes(database, deferred);
  }
  const elapsedMs = performance.now() - started;
  return {
    projections: projections.map((p) => p.name),
    eventsRead,
    elapsedMs,
    eventsPerSecond: elapsedMs > 0 ? (eventsRead * 1000) / elapsedMs : 0,
    foldedInWorker,
  };
}

/**
 * Creates the deferred indexes. PostgreSQL builds an index in one server process: with three
 * connections, each taking the next index of the list, three are built at once (the rebuild's
 * other work is over, so the second core is free, and one build's reads and commit overlap
 * another's sorting). Each connection's indexes in one transaction; they need not be
 * all-or-nothing (a missing index is created when the projection starts). SQLite has one writer.
 */
async function createIndexes(database: ReadModelDatabase, deferred: readonly ReadModelIndex[]): Promise<void> {
  const queue = [...deferred];
  const lanes = database.dialect === 'postgres' ? Math.min(POSTGRES_INDEX_LANES, queue.length) : 1;
  const settled = await Promise.allSettled(
    Array.from({ length: lanes }, () =>
      database.db.transaction().execute(async (trx) => {
        for (let index = queue.shift(); index !== undefined; index = queue.shift()) await ensureIndex(trx, index);
      }),
    ),
  );
  const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

/** Connections building the deferred indexes at once on PostgreSQL. */
const POSTGRES_INDEX_LANES = 3;

/**
 * Empties the projections' tables and checkpoints and drops their deferred indexes, in one
 * transaction, which commits once `beforeCommit` has settled, or rolls back if it throws.
 */
async function emptyTables(
  database: ReadModelDatabase,
  projections: readonly Projection[],
  deferred: readonly ReadModelIndex[],
  beforeCommit: () => Promise<void>,
): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    for (const projection of projections) {
      for (const table of projection.tables) {
        // PostgreSQL: TRUNCATE leaves no dead rows behind for the rebuild's inserts and indexes
        // to step over (transactional there; SQLite's unfiltered DELETE already truncates).
        if (database.dialect === 'postgres') await sql`truncate table ${sql.table(table)}`.execute(trx);
        else await trx.deleteFrom(table).execute();
      }
      await deleteCheckpoint(trx, projection.name);
    }
    for (const index of deferred) await dropIndex(trx, index);
    await beforeCommit();
  });
}

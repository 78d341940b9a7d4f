import { EventCodec, eventCodec } from '@quarterly/event-codec';
import { EventStore } from '@quarterly/event-store/event-store.port';
import { ReadModelDatabase } from '../database/read-model-database';
import { deleteCheckpoint, writeCheckpoint } from './checkpoint.store';
import { Projection, projectionAccepts } from './projection';

export interface ProjectionSetRebuildOptions {
  /** Events read and applied per transaction. @defaultValue 1000 */
  readonly batchSize?: number;
  readonly codec?: EventCodec;
  readonly clock?: () => Date;
  /** Called after every committed page. */
  readonly onProgress?: (progress: { readonly eventsRead: number; readonly elapsedMs: number; readonly eventsPerSecond: number }) => void;
}

export interface ProjectionSetRebuildResult {
  readonly projections: readonly string[];
  /** Events of the log read (each once, whatever the number of projections). */
  readonly eventsRead: number;
  readonly elapsedMs: number;
  /** Events of the log per second. */
  readonly eventsPerSecond: number;
}

/**
 * Rebuilds several projections from zero in one pass over the log: their tables and
 * checkpoints are emptied in one transaction, then each page of events is read once, decoded
 * once, and applied to every projection that wants it, with every checkpoint, in one
 * transaction. The rows are those that rebuilding each projection alone gives (each projection
 * still sees only its own events, in order); a failure rolls back the page, and the checkpoints
 * say how far each got, as with `ProjectionRunner.rebuild`.
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
  const batchSize = options.batchSize ?? 1000;
  const codec = options.codec ?? eventCodec;
  const clock = options.clock ?? (() => new Date());
  const started = performance.now();
  await database.db.transaction().execute(async (trx) => {
    for (const projection of projections) {
      for (const table of projection.tables) await trx.deleteFrom(table).execute();
      await deleteCheckpoint(trx, projection.name);
    }
  });
  let eventsRead = 0;
  let after: bigint | undefined;
  for (;;) {
    const events = await store.readAll({ ...(after !== undefined ? { after } : {}), limit: batchSize });
    const last = events[events.length - 1];
    if (last === undefined) break;
    const decoded = codec.decodeAll(events);
    const updatedAt = clock().toISOString();
    await database.db.transaction().execute(async (trx) => {
      for (const projection of projections) {
        const relevant = decoded.filter((event) => projectionAccepts(projection, event));
        if (projection.applyBatch) {
          if (relevant.length > 0) await projection.applyBatch(trx, relevant);
        } else {
          for (const event of relevant) await projection.apply(trx, event);
        }
        await writeCheckpoint(trx, projection.name, { version: projection.version, position: last.position }, updatedAt);
      }
    });
    eventsRead += events.length;
    after = last.position;
    if (options.onProgress) {
      const elapsedMs = performance.now() - started;
      options.onProgress({ eventsRead, elapsedMs, eventsPerSecond: elapsedMs > 0 ? (eventsRead * 1000) / elapsedMs : 0 });
    }
  }
  const elapsedMs = performance.now() - started;
  return {
    projections: projections.map((p) => p.name),
    eventsRead,
    elapsedMs,
    eventsPerSecond: elapsedMs > 0 ? (eventsRead * 1000) / elapsedMs : 0,
  };
}

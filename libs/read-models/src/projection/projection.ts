import type { DecodedEventOf, QuarterlyEventType } from '@quarterly/event-codec';
import { Kysely } from 'kysely';
import type { ReadModelDialect } from '../database/read-model-database';
import { ReadModelSchema, ReadModelTableName } from '../database/read-model-schema';
import type { RowStatement } from '../database/row-batch.writer';

/**
 * A projection folds events into read-model tables.
 *
 * Contract:
 * - `apply` is called inside a transaction that also writes the projection's checkpoint; it must
 *   make DB calls only (no network, no timers), so that a SQLite write transaction is never held
 *   across real I/O.
 * - `apply` is idempotent: applying an event that is already reflected changes nothing (rows are
 *   keyed by the event's position or id, or guarded by the `last_position` of the row).
 * - The result depends only on the events, in order: a rebuild from zero gives the same rows as
 *   the live run. Never read the clock; instants come from the event's metadata.
 * - Events arrive decoded and upcast by the runner's codec (`@quarterly/event-codec`): a typed
 *   union to switch on, never raw stored data to cast.
 */
export interface Projection<T extends QuarterlyEventType = QuarterlyEventType> {
  /** Stable name, the key of the checkpoint. */
  readonly name: string;
  /** Bump when `apply` or the tables change meaning: a stored checkpoint of another version triggers a rebuild. */
  readonly version: number;
  /** The event types this projection reads; `undefined` for every event. */
  readonly eventTypes?: readonly T[];
  /** The tables this projection owns and alone writes; a rebuild empties them. */
  readonly tables: readonly ReadModelTableName[];
  apply(trx: Kysely<ReadModelSchema>, event: DecodedEventOf<T>): Promise<void>;
  /**
   * Optional: applies several events (in order, all accepted by the projection) at once, e.g.
   * as one multi-row insert. The runner prefers it to `apply`; the same contract holds.
   */
  applyBatch?(trx: Kysely<ReadModelSchema>, events: readonly DecodedEventOf<T>[]): Promise<void>;
  /**
   * Secondary indexes on this projection's tables that `apply` never reads through (only the
   * queries do). A rebuild of every projection from zero (`rebuildProjectionSet`) drops them
   * first and creates them again once the rows are in, which costs far less than keeping them up
   * to date row by row; starting the projection creates any that are missing (a rebuild killed
   * half-way). Each must be the index its migration creates (`read-model-database.int-spec.ts`
   * checks them against the migrated schema).
   */
  readonly deferredIndexes?: readonly ReadModelIndex[];
  /**
   * Optional: this projection's fold for a rebuild from zero in a worker thread
   * (`rebuildProjectionSet` with `worker`). The fold sees every event the projection accepts, in
   * order, from the first; it keeps in memory whatever `applyBatch` would read back from the
   * projection's tables, and turns each page into the statements that write it, which the thread
   * holding the read-model connection runs in the page's transaction. It must give exactly the
   * rows `applyBatch` gives (the rebuild tests compare them with the live run's).
   */
  rebuildFold?(dialect: ReadModelDialect): {
    /**
     * The statements that write this page's rows, in order (none for a page that changes
     * nothing). A method, checked bivariantly as `apply` is: it is handed only the types listed.
     */
    fold(events: readonly DecodedEventOf<T>[]): Promise<RowStatement[]>;
  };
}

/** A projection's fold over a rebuild from zero, run in a worker thread: pages in, statements out. */
export type RebuildFold<T extends QuarterlyEventType = QuarterlyEventType> = ReturnType<NonNullable<Projection<T>['rebuildFold']>>;

/** An index as a migration creates it: `create index <name> on <table> (<columns>)`. */
export interface ReadModelIndex {
  readonly name: string;
  readonly table: ReadModelTableName;
  readonly columns: readonly string[];
}

/** Creates the index unless it exists (it is missing only while, or after, a rebuild that dropped it). */
export async function ensureIndex(db: Kysely<ReadModelSchema>, index: ReadModelIndex): Promise<void> {
  await db.schema.createIndex(index.name).ifNotExists().on(index.table).columns([...index.columns]).execute();
}

export async function dropIndex(db: Kysely<ReadModelSchema>, index: ReadModelIndex): Promise<void> {
  await db.schema.dropIndex(index.name).ifExists().execute();
}

/**
 * True when `projection` wants `event`. The runner hands a projection only the types it lists,
 * which is what lets `apply` take the narrower union `DecodedEventOf<T>`.
 */
export function projectionAccepts(projection: Projection, event: { readonly type: string }): boolean {
  return projection.eventTypes === undefined || (projection.eventTypes as readonly string[]).includes(event.type);
}

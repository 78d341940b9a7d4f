import { RecordedEvent } from '@quarterly/event-store/event-store.port';
import { Kysely } from 'kysely';
import { ReadModelSchema, ReadModelTableName } from '../database/read-model-schema';

/**
 * A projection folds events into read-model tables.
 *
 * Contract:
 * - `apply` is called inside a transaction that also writes the projection's checkpoint; it must
 *   make DB calls only (no network, no timers), so that a SQLite write transaction is never held
 *   across real I/O.
 * - `apply` is idempotent: applying an event that is already reflected changes nothing (rows are
 *   keyed by event id, or guarded by the `last_position` of the row).
 * - The result depends only on the events, in order: a rebuild from zero gives the same rows as
 *   the live run. Never read the clock; instants come from the event's metadata.
 */
export interface Projection {
  /** Stable name, the key of the checkpoint. */
  readonly name: string;
  /** Bump when `apply` or the tables change meaning: a stored checkpoint of another version triggers a rebuild. */
  readonly version: number;
  /** The event types this projection reads; `undefined` for every event. */
  readonly eventTypes?: readonly string[];
  /** The tables this projection owns and alone writes; a rebuild empties them. */
  readonly tables: readonly ReadModelTableName[];
  apply(trx: Kysely<ReadModelSchema>, event: RecordedEvent): Promise<void>;
  /**
   * Optional: applies several events (in order, all accepted by the projection) at once, e.g.
   * as one multi-row insert. The runner prefers it to `apply`; the same contract holds.
   */
  applyBatch?(trx: Kysely<ReadModelSchema>, events: readonly RecordedEvent[]): Promise<void>;
}

/** True when `projection` wants `event`. */
export function projectionAccepts(projection: Projection, event: RecordedEvent): boolean {
  return projection.eventTypes === undefined || projection.eventTypes.includes(event.type);
}

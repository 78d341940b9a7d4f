import { Kysely } from 'kysely';
import { ReadModelSchema } from '../database/read-model-schema';
import { toBigInt, toNumber } from '../shared/column-values';

export interface Checkpoint {
  /** The projection version that wrote it. */
  readonly version: number;
  /** The global position of the last event the projection has processed. */
  readonly position: bigint;
}

/** The stored checkpoint of a projection, or `undefined` when it has never run. */
export async function readCheckpoint(
  db: Kysely<ReadModelSchema>,
  name: string,
): Promise<Checkpoint | undefined> {
  const row = await db
    .selectFrom('projection_checkpoints')
    .select(['version', 'position'])
    .where('name', '=', name)
    .executeTakeFirst();
  return row && { version: toNumber(row.version), position: toBigInt(row.position) };
}

/** Stores a checkpoint; call it in the transaction that applied the events up to `position`. */
export function writeCheckpoint(trx: Kysely<ReadModelSchema>, name: string, checkpoint: Checkpoint, updatedAt: string): Promise<void> {
  return writeCheckpoints(trx, [{ name, checkpoint }], updatedAt);
}

/**
 * Stores several checkpoints in one statement (a projection group's, after one batch): one round
 * trip instead of one per projection. Call it in the transaction that applied their events.
 */
export async function writeCheckpoints(
  trx: Kysely<ReadModelSchema>,
  checkpoints: ReadonlyArray<{ readonly name: string; readonly checkpoint: Checkpoint }>,
  updatedAt: string,
): Promise<void> {
  if (checkpoints.length === 0) return;
  await trx
    .insertInto('projection_checkpoints')
    .values(checkpoints.map(({ name, checkpoint }) => ({ name, version: checkpoint.version, position: checkpoint.position, updated_at: updatedAt })))
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({
        version: eb.ref('excluded.version'),
        position: eb.ref('excluded.position'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function deleteCheckpoint(trx: Kysely<ReadModelSchema>, name: string): Promise<void> {
  await trx.deleteFrom('projection_checkpoints').where('name', '=', name).execute();
}

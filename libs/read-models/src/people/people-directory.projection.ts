import { PERSON_EVENT_TYPES, PersonEventType } from '@quarterly/domain';
import { DecodedEventOf, unhandledEvent } from '@quarterly/event-codec';
import { Kysely, Updateable } from 'kysely';
import { PersonTable, ReadModelSchema } from '../database/read-model-schema';
import { Projection } from '../projection/projection';
import { toInstant } from '../shared/column-values';

const PERSON_STREAM = /^person-(.+)$/;

/** Everyone who can act in the engine, with roles, directorate and e-mail (table `people`). */
export class PeopleDirectoryProjection implements Projection<PersonEventType> {
  readonly name = 'people-directory';
  /** 2: `sign_in_id` (migration 004). */
  readonly version = 2;
  readonly eventTypes = PERSON_EVENT_TYPES;
  readonly tables = ['people'] as const;

  async apply(trx: Kysely<ReadModelSchema>, event: DecodedEventOf<PersonEventType>): Promise<void> {
    const personId = PERSON_STREAM.exec(event.streamId)?.[1];
    if (personId === undefined) return;
    const at = toInstant(event.metadata.recordedAt);
    switch (event.type) {
      case 'PersonRegistered': {
        const data = event.data;
        await trx
          .insertInto('people')
          .values({
            person_id: data.personId,
            name: data.name,
            email: data.email,
            roles: JSON.stringify(data.roles),
            directorate: data.directorate ?? null,
            sign_in_id: data.signInId ?? null,
            active: 1,
            deactivated_reason: null,
            registered_at: at,
            updated_at: at,
            last_position: event.position,
          })
          .onConflict((oc) => oc.column('person_id').doNothing())
          .execute();
        return;
      }
      case 'PersonDetailsChanged': {
        const data = event.data;
        const changes: Updateable<PersonTable> = { updated_at: at };
        if (data.name !== undefined) changes.name = data.name;
        if (data.email !== undefined) changes.email = data.email;
        if (data.roles !== undefined) changes.roles = JSON.stringify(data.roles);
        if (data.directorate !== undefined) changes.directorate = data.directorate;
        if (data.signInId !== undefined) changes.sign_in_id = data.signInId;
        await update(trx, personId, event.position, changes);
        return;
      }
      case 'PersonDeactivated': {
        const data = event.data;
        await update(trx, personId, event.position, {
          active: 0,
          deactivated_reason: data.reason,
          updated_at: at,
        });
        return;
      }
      default:
        unhandledEvent(event);
    }
  }
}

async function update(
  trx: Kysely<ReadModelSchema>,
  personId: string,
  position: bigint,
  changes: Updateable<PersonTable>,
): Promise<void> {
  await trx
    .updateTable('people')
    .set({ ...changes, last_position: position })
    .where('person_id', '=', personId)
    .where('last_position', '<', position)
    .execute();
}

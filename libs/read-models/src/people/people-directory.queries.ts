import { Role } from '@quarterly/domain';
import { Kysely, Selectable, sql } from 'kysely';
import { PersonTable, ReadModelSchema } from '../database/read-model-schema';
import { fromJson, toNumber } from '../shared/column-values';

export interface PersonView {
  readonly personId: string;
  readonly name: string;
  readonly email: string;
  readonly roles: readonly Role[];
  readonly directorate: string | null;
  readonly active: boolean;
  readonly deactivatedReason: string | null;
  readonly registeredAt: string;
  readonly updatedAt: string;
}

export interface ListPeopleFilter {
  readonly role?: Role;
  readonly directorate?: string;
  /** Include deactivated people. @defaultValue false */
  readonly includeInactive?: boolean;
}

/** The directory, ordered by person id. */
export async function listPeople(
  db: Kysely<ReadModelSchema>,
  filter: ListPeopleFilter = {},
): Promise<PersonView[]> {
  let query = db.selectFrom('people').selectAll().orderBy('person_id');
  if (!filter.includeInactive) query = query.where('active', '=', 1);
  if (filter.directorate !== undefined) query = query.where('directorate', '=', filter.directorate);
  const people = (await query.execute()).map(toPersonView);
  return filter.role === undefined ? people : people.filter((p) => p.roles.includes(filter.role!));
}

export async function getPerson(db: Kysely<ReadModelSchema>, personId: string): Promise<PersonView | undefined> {
  const row = await db.selectFrom('people').selectAll().where('person_id', '=', personId).executeTakeFirst();
  return row && toPersonView(row);
}

function toPersonView(row: Selectable<PersonTable>): PersonView {
  return {
    personId: row.person_id,
    name: row.name,
    email: row.email,
    roles: fromJson<Role[]>(row.roles),
    directorate: row.directorate,
    active: toNumber(row.active) === 1,
    deactivatedReason: row.deactivated_reason,
    registeredAt: row.registered_at,
    updatedAt: row.updated_at,
  };
}

/**
 * The person registered with this e-mail address (compared case-insensitively), preferring an
 * active one: how an identity provider's `email` claim is matched to the directory.
 */
export async function findPersonIdByEmail(db: Kysely<ReadModelSchema>, email: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('people')
    .select(['person_id', 'active'])
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .orderBy('active', 'desc')
    .orderBy('person_id')
    .execute();
  return rows[0]?.person_id;
}

/**
 * The person whose sign-in id (the identity provider's stable id, e.g. Entra ID's `oid`) this is,
 * compared exactly, preferring an active one: how `OIDC_IDENTITY_MATCH=sign-in-id` maps a token to
 * the directory, and how a duplicate sign-in id is found. Deactivated people are included.
 */
export async function findPersonIdBySignInId(db: Kysely<ReadModelSchema>, signInId: string): Promise<string | undefined> {
  const rows = await db
    .selectFrom('people')
    .select(['person_id', 'active'])
    .where('sign_in_id', '=', signInId)
    .orderBy('active', 'desc')
    .orderBy('person_id')
    .execute();
  return rows[0]?.person_id;
}

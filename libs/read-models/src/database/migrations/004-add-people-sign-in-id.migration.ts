import { Kysely, Migration } from 'kysely';

/**
 * `people.sign_in_id`: the identity provider's stable id for a person (Entra ID's `oid`), indexed,
 * so a token is mapped to its person with `OIDC_IDENTITY_MATCH=sign-in-id` and a duplicate is
 * refused before it is written. Filled by the people-directory projection (version 2 rebuilds it).
 */
export const addPeopleSignInIdMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('people').addColumn('sign_in_id', 'text').execute();
    await db.schema.createIndex('people_sign_in_id_idx').ifNotExists().on('people').column('sign_in_id').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('people_sign_in_id_idx').ifExists().execute();
    await db.schema.alterTable('people').dropColumn('sign_in_id').execute();
  },
};

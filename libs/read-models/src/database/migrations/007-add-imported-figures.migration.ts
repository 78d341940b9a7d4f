import { Kysely, Migration } from 'kysely';

/**
 * `value_history.imported`: for a figure imported as published (`ReturnFigureImported`), where it
 * came from and what the council printed (JSON: importedAt, importedBy, fileName, sha256,
 * sourceDocument, publishedOn, publishedStatus, published directions). Such a row's `recorded_at`
 * is the instant it counts from "as at" — the start of its publication day in Europe/London — and
 * `imported.importedAt` the instant of the import. Filled by the value-history projection
 * (version 3 rebuilds it).
 */
export const addImportedFiguresMigration: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('value_history').addColumn('imported', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('value_history').dropColumn('imported').execute();
  },
};

import { Migration, MigrationProvider } from 'kysely';
import { createReadModelTablesMigration } from './migrations/001-create-read-model-tables.migration';
import { createHistoryDueDatesMigration } from './migrations/002-create-history-due-dates.migration';
import { createKpiRegisterHistoryMigration } from './migrations/003-create-kpi-register-history.migration';
import { addPeopleSignInIdMigration } from './migrations/004-add-people-sign-in-id.migration';
import { addRatingModelColumnsMigration } from './migrations/005-add-rating-model-columns.migration';
import { indexHistoryForKeptScorecardsMigration } from './migrations/006-index-history-for-kept-scorecards.migration';
import { addImportedFiguresMigration } from './migrations/007-add-imported-figures.migration';
import { keyEventRowsByPositionMigration } from './migrations/008-key-event-rows-by-position.migration';
import { dropUnreadAuditStreamIndexMigration } from './migrations/009-drop-unread-audit-stream-index.migration';
import { compareKeysBytewiseOnPostgresMigration } from './migrations/010-compare-keys-bytewise-on-postgres.migration';

/**
 * The read-model migrations, in order. A static list rather than a folder scan, so a bundled
 * build (dist/) carries them without copying files. Names sort in the order they must run.
 */
const migrations: Record<string, Migration> = {
  '001-create-read-model-tables': createReadModelTablesMigration,
  '002-create-history-due-dates': createHistoryDueDatesMigration,
  '003-create-kpi-register-history': createKpiRegisterHistoryMigration,
  '004-add-people-sign-in-id': addPeopleSignInIdMigration,
  '005-add-rating-model-columns': addRatingModelColumnsMigration,
  '006-index-history-for-kept-scorecards': indexHistoryForKeptScorecardsMigration,
  '007-add-imported-figures': addImportedFiguresMigration,
  '008-key-event-rows-by-position': keyEventRowsByPositionMigration,
  '009-drop-unread-audit-stream-index': dropUnreadAuditStreamIndexMigration,
  '010-compare-keys-bytewise-on-postgres': compareKeysBytewiseOnPostgresMigration,
};

export const readModelMigrationProvider: MigrationProvider = {
  getMigrations: async () => migrations,
};

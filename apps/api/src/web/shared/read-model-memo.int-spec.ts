import { writeCheckpoint } from '@quarterly/read-models';
import { READ_MODEL_TEST_DIALECTS, ReadModelTestDatabase } from '@quarterly/testing/read-model-test-database';
import { ReadModelMemo } from './read-model-memo';

describe.each(READ_MODEL_TEST_DIALECTS)('answers kept while the read models stand still (%s)', (dialect) => {
  let database: ReadModelTestDatabase;
  let computed: number;
  const memo = () => new ReadModelMemo();
  const compute = async () => ++computed;

  beforeEach(async () => {
    database = await ReadModelTestDatabase.create(dialect, 'memo');
    computed = 0;
    await writeCheckpoint(database.db, 'value-history', { version: 1, position: 10n }, '2026-10-01T09:00:00Z');
  });
  afterEach(async () => {
    await database.drop();
  });

  it('computes once for the same state, and again once any projection moves on', async () => {
    const kept = memo();
    const at = { instant: '2026-10-01T09:00:00.000Z', isNow: false };
    await expect(kept.remember(database.db, 'scorecard|2026/27-Q2', at, compute)).resolves.toBe(1);
    await expect(kept.remember(database.db, 'scorecard|2026/27-Q2', at, compute)).resolves.toBe(1);
    await writeCheckpoint(database.db, 'value-history', { version: 1, position: 11n }, '2026-10-01T09:00:01Z');
    await expect(kept.remember(database.db, 'scorecard|2026/27-Q2', at, compute)).resolves.toBe(2);
    // A rebuild at a new version, even back at the same position, is another state.
    await writeCheckpoint(database.db, 'value-history', { version: 2, position: 11n }, '2026-10-01T09:00:02Z');
    await expect(kept.remember(database.db, 'scorecard|2026/27-Q2', at, compute)).resolves.toBe(3);
  });

  it('"now" is kept within a London day, not across midnight; a given instant is its own answer', async () => {
    const kept = memo();
    await expect(kept.remember(database.db, 'k', { instant: '2026-10-01T09:00:00.000Z', isNow: true }, compute)).resolves.toBe(1);
    await expect(kept.remember(database.db, 'k', { instant: '2026-10-01T22:59:59.000Z', isNow: true }, compute)).resolves.toBe(1);
    // 23:00 UTC is midnight in London (BST): a return may have become overdue.
    await expect(kept.remember(database.db, 'k', { instant: '2026-10-01T23:00:00.000Z', isNow: true }, compute)).resolves.toBe(2);
    await expect(kept.remember(database.db, 'k', { instant: '2026-10-01T09:00:00.000Z', isNow: false }, compute)).resolves.toBe(3);
    await expect(kept.remember(database.db, 'other', { instant: '2026-10-01T09:00:00.000Z', isNow: false }, compute)).resolves.toBe(4);
  });
});

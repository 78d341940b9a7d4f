import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { ReadModelDatabase } from '../database/read-model-database';
import { getScorecard, Scorecard } from '../scorecard/scorecard.queries';
import { EventScript, ratingOf } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95, sampleCouncilHistory } from '../testing/sample-history';
import { getValueHistory, ValueHistoryQuery } from './value-history.queries';

// A KPI's value history and a cycle's rows are kept in memory per connection while their rows
// stand (append-only tables). These tests ask the same questions on the harness's connection,
// which keeps them across writes and a rebuild, and on a fresh connection, which reads afresh.

const QUARTER = '2024/25-Q2';
const QUERIES: ReadonlyArray<Omit<ValueHistoryQuery, 'kpiId'>> = [
  {},
  { asAt: '2024-10-20T12:00:00Z' },
  { periodCovered: QUARTER },
  { periodCovered: QUARTER, asAt: '2026-02-01T10:30:00Z' },
  { cycles: ['2024/25-Q1', '2024/25-Q3'] },
  { cycles: [] },
  { limit: 3 },
  { after: 0n, limit: 2 },
];
const withoutInstant = ({ asAt: _asAt, ...rest }: Scorecard) => rest;

describe.each(READ_MODEL_TEST_DIALECTS)('value history and scorecards kept between answers (%s)', (dialect) => {
  let harness: ReadModelHarness;
  let fresh: ReadModelDatabase;

  /** Every query on both connections: the kept answers must be the fresh ones. */
  const expectSameAsFresh = async (kpiId: string) => {
    await fresh.close();
    fresh = await harness.testDatabase.reopen();
    for (const query of QUERIES) {
      const kept = await getValueHistory(harness.db, { kpiId, ...query });
      const afresh = await getValueHistory(fresh.db, { kpiId, ...query });
      expect({ query, entries: kept }).toEqual({ query, entries: afresh });
    }
    // The "after" page follows on from the first one.
    const [first] = await getValueHistory(harness.db, { kpiId, limit: 1 });
    if (first) expect(await getValueHistory(harness.db, { kpiId, after: first.position })).toEqual((await getValueHistory(fresh.db, { kpiId })).slice(1));
    for (const asAt of ['2024-10-20T12:00:00Z', '2026-02-01T10:30:00Z', '2027-01-01T00:00:00Z']) {
      expect(withoutInstant(await getScorecard(harness.db, QUARTER, { asAt }))).toEqual(withoutInstant(await getScorecard(fresh.db, QUARTER, { asAt })));
    }
  };

  beforeAll(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    await harness.feed(sampleCouncilHistory());
    fresh = await harness.testDatabase.reopen();
  });
  afterAll(async () => {
    await fresh?.close();
    await harness.close();
  });

  it('answers from the kept history exactly as from the table, also after later figures arrive', async () => {
    await expectSameAsFresh('ASC-01');
    const before = await getValueHistory(harness.db, { kpiId: 'ASC-01' });
    await harness.feed(
      new EventScript()
        .at('2026-02-01T10:00:00Z')
        .restate('ASC-01', QUARTER, '95.5', '96.5', ratingOf('green', '2024/25', GREEN_95), 'Late records')
        .at('2026-02-01T11:00:00Z')
        .approve('ASC-01', QUARTER, '96.5', ratingOf('green', '2024/25', GREEN_95)),
    );
    const after = await getValueHistory(harness.db, { kpiId: 'ASC-01' });
    expect(after.length).toBe(before.length + 2);
    expect(after.slice(-2).map((e) => [e.kind, e.value])).toEqual([
      ['restated', '96.5'],
      ['approved', '96.5'],
    ]);
    // As at the moment between the two, the approval is not there yet.
    expect((await getValueHistory(harness.db, { kpiId: 'ASC-01', asAt: '2026-02-01T10:30:00Z' })).at(-1)?.kind).toBe('restated');
    await expectSameAsFresh('ASC-01');
  });

  it('stays exact across a rebuild of the rows', async () => {
    await getValueHistory(harness.db, { kpiId: 'ASC-02' });
    await harness.runner('value-history').rebuild();
    await expectSameAsFresh('ASC-02');
    await expectSameAsFresh('ASC-01');
  });

  it('shares its entries read-only: nobody can change them for the others', async () => {
    const [entry] = await getValueHistory(harness.db, { kpiId: 'ASC-01' });
    expect(() => {
      (entry as { value: string | null }).value = '0';
    }).toThrow(TypeError);
    expect(Object.isFrozen(entry!.monthlyValues)).toBe(true);
  });
});

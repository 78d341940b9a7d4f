import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { ReadModelDatabase } from '../database/read-model-database';
import { EventScript, ratingOf } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95, sampleCouncilHistory } from '../testing/sample-history';
import { getScorecard, Scorecard } from './scorecard.queries';

// A kept scorecard must be exactly the one computed afresh (another connection keeps nothing):
// these tests compare the two, and tell a kept one by its identity.

const QUARTER = '2024/25-Q2';
const withoutInstant = ({ asAt: _asAt, ...rest }: Scorecard) => rest;

describe.each(READ_MODEL_TEST_DIALECTS)('a scorecard asked for again (%s)', (dialect) => {
  let harness: ReadModelHarness;
  let fresh: ReadModelDatabase;
  const afresh = async (cycleId: string, asAt: string) => {
    const card = await getScorecard(fresh.db, cycleId, { asAt });
    // Forget it on that side too: the next comparison computes again.
    await fresh.close();
    fresh = await harness.testDatabase.reopen();
    return card;
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

  it('is kept while nothing it reads changes: the same figures, stating the instant asked for', async () => {
    const first = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-05T09:00:00Z' });
    const again = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-05T17:00:00Z' });
    expect(again.entries).toBe(first.entries);
    expect(again.asAt).toBe('2026-01-05T17:00:00.000Z');
    expect(withoutInstant(again)).toEqual(withoutInstant(await afresh(QUARTER, '2026-01-05T17:00:00Z')));
    // Events elsewhere (a later quarter's figure) leave it kept.
    await harness.feed(
      new EventScript()
        .at('2026-01-05T18:00:00Z')
        .submit('ENV-01', '2025/26-Q1', '1800', ratingOf(null, '2025/26', { kind: 'tracker' })),
    );
    expect((await getScorecard(harness.db, QUARTER, { asAt: '2026-01-05T19:00:00Z' })).entries).toBe(first.entries);
  });

  it('is computed afresh once a figure of the quarter is restated, and the earlier instant still shows the earlier figure', async () => {
    const before = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-06T09:00:00Z' });
    await harness.feed(
      new EventScript()
        .at('2026-01-06T10:00:00Z')
        .restate('ASC-01', QUARTER, '95.5', '97.0', ratingOf('green', '2024/25', GREEN_95), 'Late records')
        .at('2026-01-06T11:00:00Z')
        .approve('ASC-01', QUARTER, '97.0', ratingOf('green', '2024/25', GREEN_95)),
    );
    const after = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-06T12:00:00Z' });
    expect(after.entries).not.toBe(before.entries);
    expect(after.entries.find((e) => e.kpiId === 'ASC-01')?.value).toBe('97.0');
    expect(withoutInstant(after)).toEqual(withoutInstant(await afresh(QUARTER, '2026-01-06T12:00:00Z')));

    // Asked for as at an instant before that restatement: not the kept one.
    const earlier = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-06T09:30:00Z' });
    expect(earlier.entries.find((e) => e.kpiId === 'ASC-01')?.value).toBe('95.5');
    expect(withoutInstant(earlier)).toEqual(withoutInstant(await afresh(QUARTER, '2026-01-06T09:30:00Z')));
  });

  it('is computed afresh after a register change, and on another London date', async () => {
    const before = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-07T09:00:00Z' });
    await harness.feed(new EventScript().at('2026-01-07T10:00:00Z').target('ASC-02', '2024/25', { kind: 'thresholds', green: '8', amber: '11' }));
    const after = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-07T11:00:00Z' });
    expect(after.entries).not.toBe(before.entries);
    expect(withoutInstant(after)).toEqual(withoutInstant(await afresh(QUARTER, '2026-01-07T11:00:00Z')));

    const nextDay = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-08T00:30:00Z' });
    expect(nextDay.entries).not.toBe(after.entries);
    expect(withoutInstant(nextDay)).toEqual(withoutInstant(await afresh(QUARTER, '2026-01-08T00:30:00Z')));
  });

  it('is computed once for callers asking at the same time', async () => {
    await harness.feed(new EventScript().at('2026-01-10T08:00:00Z').target('ASC-02', '2024/25', { kind: 'thresholds', green: '9', amber: '12' }));
    const [one, other] = await Promise.all([
      getScorecard(harness.db, QUARTER, { asAt: '2026-01-10T09:00:00Z' }),
      getScorecard(harness.db, QUARTER, { asAt: '2026-01-10T09:30:00Z' }),
    ]);
    expect(other.entries).toBe(one.entries);
    expect([one.asAt, other.asAt]).toEqual(['2026-01-10T09:00:00.000Z', '2026-01-10T09:30:00.000Z']);
  });

  it('is shared read-only: nobody can change a kept scorecard for the others', async () => {
    const card = await getScorecard(harness.db, QUARTER, { asAt: '2026-01-11T09:00:00Z' });
    expect(() => (card.entries as ScorecardEntryArray).push(card.entries[0]!)).toThrow(/not extensible/);
  });
});

type ScorecardEntryArray = Scorecard['entries'][number][];

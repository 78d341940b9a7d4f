import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { getExceptions } from '../exceptions/exceptions.queries';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95, sampleCouncilHistory } from '../testing/sample-history';
import { getValueHistory } from '../value-history/value-history.queries';
import { diffScorecards, getScorecard, getScorecardChanges, ScorecardEntry } from './scorecard.queries';

const entry = (entries: readonly ScorecardEntry[], kpiId: string) => entries.find((e) => e.kpiId === kpiId)!;

describe.each(READ_MODEL_TEST_DIALECTS)('value history, scorecards and exceptions on %s', (dialect) => {
  let harness: ReadModelHarness;
  beforeAll(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    await harness.feed(sampleCouncilHistory());
  });
  afterAll(async () => {
    await harness.close();
  });

  describe('value history', () => {
    it('keeps every value ever reported, with who, when and why, in order', async () => {
      const rows = await getValueHistory(harness.db, { kpiId: 'ASC-01', periodCovered: '2024/25-Q2' });
      expect(rows.map((r) => [r.kind, r.value, r.actor, r.recordedAt])).toEqual([
        ['submitted', '96.0', 's.lead', '2024-10-16T09:00:00.000Z'],
        ['challenged', '96.0', 'd.director', '2024-10-21T09:00:00.000Z'],
        ['resubmitted', '95.5', 's.lead', '2024-10-22T11:00:00.000Z'],
        ['approved', '95.5', 'd.director', '2024-11-04T15:00:00.000Z'],
      ]);
      expect(rows[1]!.reason).toBe('Denominator excludes new clients?');
      expect(rows[2]!.reason).toBe('Figure re-extracted.');
      expect(rows[3]!.rating).toMatchObject({ status: 'green', policy: GREEN_95, financialYear: '2024/25' });
      expect(rows.map((r) => r.position)).toEqual([...rows.map((r) => r.position)].sort((a, b) => (a < b ? -1 : 1)));
    });

    it('answers "as at" an instant: before a restatement the restated value is not there', async () => {
      const before = await getValueHistory(harness.db, { kpiId: 'ASC-01', periodCovered: '2024/25-Q3', asAt: '2025-03-01T00:00:00Z' });
      const after = await getValueHistory(harness.db, { kpiId: 'ASC-01', periodCovered: '2024/25-Q3', asAt: '2025-03-12T10:00:00Z' });
      expect(before.map((r) => [r.kind, r.value])).toEqual([
        ['submitted', '88.0'],
        ['approved', '88.0'],
      ]);
      expect(after.map((r) => [r.kind, r.value, r.reason])).toEqual([
        ['submitted', '88.0', null],
        ['approved', '88.0', null],
        ['restated', '91.2', 'Late case records added after the extract'],
        ['approved', '91.2', null],
      ]);
      expect(before[0]).toMatchObject({ commentary: 'Winter pressures.', offTargetReason: 'Staff vacancies', routeToGreen: 'Recruitment under way' });
    });

    it('records "not available" and its approval without a figure', async () => {
      const rows = await getValueHistory(harness.db, { kpiId: 'ASC-02', periodCovered: '2024/25-Q2' });
      expect(rows.map((r) => [r.kind, r.value, r.reason])).toEqual([
        ['not_available', null, 'NHS data feed delayed'],
        ['approved', null, null],
      ]);
    });
  });

  describe('scorecard as at an instant', () => {
    it('shows the approved figure, stored rating, trend and direction of travel', async () => {
      const card = await getScorecard(harness.db, '2024/25-Q2', { asAt: '2024-12-01T00:00:00Z' });
      expect(card.entries.map((e) => [e.kpiId, e.value, e.status, e.noFigureReason, e.directionVsPrevious])).toEqual([
        ['ASC-01', '95.5', 'green', null, 'improving'],
        ['ASC-02', null, null, 'not_available', null],
        ['ENV-01', '1710', null, null, 'higher'],
      ]);
      expect(entry(card.entries, 'ASC-01')).toMatchObject({
        label: 'Green',
        target: GREEN_95,
        approvedBy: 'd.director',
        previous: { periodCovered: '2024/25-Q1', value: '94.0', status: 'amber' },
        lastYear: null,
        directionVsLastYear: null,
        changePending: false,
        commentary: 'Corrected after challenge.',
      });
      expect(entry(card.entries, 'ASC-02').noStatusReason).toBe('not_available');
      expect(entry(card.entries, 'ENV-01').noStatusReason).toBe('tracker');
    });

    it('says why a KPI has no figure yet: not yet due, or awaiting approval', async () => {
      const midCycle = await getScorecard(harness.db, '2024/25-Q2', { asAt: '2024-10-17T00:00:00Z' });
      expect(midCycle.entries.map((e) => [e.kpiId, e.noFigureReason])).toEqual([
        ['ASC-01', 'awaiting_approval'],
        ['ASC-02', 'not_yet_due'],
        ['ENV-01', 'not_yet_due'],
      ]);
      expect(entry(midCycle.entries, 'ASC-01').target).toEqual(GREEN_95);
      const beforeOpening = await getScorecard(harness.db, '2024/25-Q2', { asAt: '2024-09-01T00:00:00Z' });
      expect(beforeOpening.entries).toEqual([]);
    });

    it('calls a missing figure overdue once its due date has passed, with the due date as it stood then', async () => {
      const reasons = async (asAt: string) =>
        (await getScorecard(harness.db, '2024/25-Q2', { asAt })).entries.map((e) => [e.kpiId, e.noFigureReason]);
      // Due 18 October 2024: late on the evening of the 18th (BST) it is still not overdue in London.
      expect(await reasons('2024-10-18T22:59:59Z')).toEqual([
        ['ASC-01', 'awaiting_approval'],
        ['ASC-02', 'not_yet_due'],
        ['ENV-01', 'not_yet_due'],
      ]);
      expect(await reasons('2024-10-18T23:00:00Z')).toEqual([
        ['ASC-01', 'awaiting_approval'],
        ['ASC-02', 'overdue'],
        ['ENV-01', 'overdue'],
      ]);
      // On the 21st ASC-02's due date moved to the 25th (ENV-01's did not): not due again until then.
      expect(await reasons('2024-10-21T10:00:00Z')).toEqual([
        ['ASC-01', 'awaiting_approval'],
        ['ASC-02', 'not_yet_due'],
        ['ENV-01', 'overdue'],
      ]);
      expect(await reasons('2024-10-26T10:00:00Z')).toEqual([
        ['ASC-01', 'awaiting_approval'],
        ['ASC-02', 'overdue'],
        ['ENV-01', 'awaiting_approval'],
      ]);
      // Asked later, the scorecard of the 19th still says overdue: the later extension does not reach back.
      const changes = await getScorecardChanges(harness.db, '2024/25-Q2', { since: '2024-10-19T12:00:00Z', asAt: '2024-10-21T10:00:00Z' });
      expect(changes.changes).toEqual([
        {
          kpiId: 'ASC-02',
          title: expect.any(String),
          change: 'changed',
          before: expect.objectContaining({ noFigureReason: 'overdue' }),
          after: expect.objectContaining({ noFigureReason: 'not_yet_due' }),
        },
      ]);
    });

    it('shows what was approved before a restatement and the restated figure after its approval', async () => {
      const cabinet = await getScorecard(harness.db, '2024/25-Q3', { asAt: '2025-02-05T00:00:00Z' });
      const pending = await getScorecard(harness.db, '2024/25-Q3', { asAt: '2025-03-11T00:00:00Z' });
      const later = await getScorecard(harness.db, '2024/25-Q3', { asAt: '2025-03-13T00:00:00Z' });
      expect(entry(cabinet.entries, 'ASC-01')).toMatchObject({ value: '88.0', status: 'red', changePending: false, directionVsPrevious: 'declining' });
      expect(entry(pending.entries, 'ASC-01')).toMatchObject({ value: '88.0', status: 'red', changePending: true });
      expect(entry(later.entries, 'ASC-01')).toMatchObject({
        value: '91.2',
        status: 'amber',
        commentary: 'Late case records added after the extract',
      });
      expect(diffScorecards(cabinet, later)).toEqual([
        {
          kpiId: 'ASC-01',
          title: '% of social care clients receiving direct payments',
          change: 'changed',
          before: { value: '88.0', status: 'red', label: 'Red', noFigureReason: null, approvedAt: '2025-01-30T16:00:00.000Z' },
          after: { value: '91.2', status: 'amber', label: 'Amber', noFigureReason: null, approvedAt: '2025-03-12T10:00:00.000Z' },
        },
      ]);
      const changes = await getScorecardChanges(harness.db, '2024/25-Q3', { since: '2025-02-05T00:00:00Z', asAt: '2025-03-13T00:00:00Z' });
      expect(changes.changes.map((c) => c.kpiId)).toEqual(['ASC-01']);
    });

    it('answers changes exactly as the diff of the two whole scorecards, for every pair of instants', async () => {
      // getScorecardChanges reads only the quarter's own figures; the whole scorecards are the oracle.
      const instants = ['2024-07-10T00:00:00Z', '2024-10-19T12:00:00Z', '2024-11-05T00:00:00Z', '2025-02-05T00:00:00Z', '2025-03-11T00:00:00Z', '2025-03-13T00:00:00Z', '2025-08-01T00:00:00Z'];
      let compared = 0;
      for (const cycleId of ['2024/25-Q1', '2024/25-Q2', '2024/25-Q3', '2024/25-Q4', '2025/26-Q1']) {
        for (const since of instants) {
          for (const asAt of instants.filter((i) => i >= since)) {
            const expected = diffScorecards(await getScorecard(harness.db, cycleId, { asAt: since }), await getScorecard(harness.db, cycleId, { asAt }));
            const actual = await getScorecardChanges(harness.db, cycleId, { since, asAt });
            expect({ cycleId, since, asAt, changes: actual.changes }).toEqual({ cycleId, since, asAt, changes: expected });
            compared += expected.length;
          }
        }
      }
      expect(compared).toBeGreaterThan(10); // the grid holds real changes, not only empty diffs
    });

    it("keeps a past period's stored rating after next year's target is set", async () => {
      const card = await getScorecard(harness.db, '2024/25-Q4', { asAt: '2025-08-01T00:00:00Z' });
      // 95.0 would be red against 2025/26's 98/96; the rating stored at approval stands.
      expect(entry(card.entries, 'ASC-01')).toMatchObject({ value: '95.0', status: 'green', target: GREEN_95 });
      expect(entry(card.entries, 'ASC-01').directionVsPrevious).toBe('improving');
      expect(entry(card.entries, 'ASC-02')).toMatchObject({ value: '10.5', status: 'amber', directionVsPrevious: 'declining' });
      expect(card.summary).toMatchObject({
        total: 3,
        withTargets: 2,
        metTarget: 1,
        percentMetTarget: '50.0',
        byDirectorate: [
          { directorate: 'Health, Care and Wellbeing', green: 1, amber: 1, no_status: 0 },
          { directorate: 'Place', no_status: 1 },
        ],
      });
    });

    it('compares with the same period last year and lists the previous four quarters', async () => {
      const card = await getScorecard(harness.db, '2025/26-Q1', { asAt: '2025-07-15T00:00:00Z' });
      const asc = entry(card.entries, 'ASC-01');
      expect(asc).toMatchObject({
        value: '96.5',
        status: 'amber',
        lastYear: { periodCovered: '2024/25-Q1', value: '94.0' },
        directionVsLastYear: 'improving',
        previous: { periodCovered: '2024/25-Q4', value: '95.0' },
        target: { kind: 'thresholds', green: '98', amber: '96' },
        // Events recorded before a year could state its basis compare like for like, as before.
        vsLastYear: { basis: 'same_period', label: 'vs 2024/25-Q1', comparedWith: '94.0', direction: 'improving' },
        ratedFigure: 'snapshot',
        unitLabel: null,
        inPeriodValue: null,
        yearToDateValue: null,
      });
      expect(asc.recentPeriods.map((p) => [p.periodCovered, p.value])).toEqual([
        ['2024/25-Q1', '94.0'],
        ['2024/25-Q2', '95.5'],
        ['2024/25-Q3', '91.2'],
        ['2024/25-Q4', '95.0'],
      ]);
      expect(entry(card.entries, 'ASC-02')).toMatchObject({ noFigureReason: 'not_yet_due', target: null });
    });

    it('groups by directorate or by plan outcome', async () => {
      const byOutcome = await getScorecard(harness.db, '2024/25-Q2', { asAt: '2024-12-01T00:00:00Z', groupBy: 'plan_outcome' });
      expect(byOutcome.groups.map((g) => [g.key, g.entries.map((e) => e.kpiId)])).toEqual([
        ['1.2.1 Keep our city clean', ['ENV-01']],
        ['3.2 A healthy city where people thrive', ['ASC-01', 'ASC-02']],
      ]);
      const byDirectorate = await getScorecard(harness.db, '2024/25-Q2', { asAt: '2024-12-01T00:00:00Z' });
      expect(byDirectorate.groups.map((g) => g.key)).toEqual(['Health, Care and Wellbeing', 'Place']);
    });
  });

  describe('exceptions', () => {
    it('lists red figures and status changes with their commentary', async () => {
      const q3 = await getExceptions(harness.db, '2024/25-Q3', { asAt: '2025-02-05T00:00:00Z' });
      expect(q3.map((x) => [x.entry.kpiId, x.reasons])).toEqual([['ASC-01', ['red', 'status_changed']]]);
      expect(q3[0]!.entry).toMatchObject({ commentary: 'Winter pressures.', offTargetReason: 'Staff vacancies', routeToGreen: 'Recruitment under way' });
      const q4 = await getExceptions(harness.db, '2024/25-Q4', { asAt: '2025-08-01T00:00:00Z' });
      expect(q4.map((x) => [x.entry.kpiId, x.reasons])).toEqual([
        ['ASC-01', ['status_changed']],
        ['ASC-02', ['status_changed']],
      ]);
    });
  });
});

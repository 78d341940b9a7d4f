import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { EventScript, ratingOf } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { GREEN_95 } from '../testing/sample-history';
import { getCycle, getReturnStatus, getStatusBoard, groupStatusBoard, listCycles } from './status-board.queries';

const Q2 = '2024/25-Q2';
const at = (instant: string) => ({ now: new Date(instant) });

describe.each(READ_MODEL_TEST_DIALECTS)('status board on %s', (dialect) => {
  let harness: ReadModelHarness;
  let script: EventScript;
  beforeEach(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    script = new EventScript()
      .at('2024-04-01T09:00:00Z')
      .kpi('ASC-01')
      .kpi('ASC-02', { title: 'Delayed transfers', polarity: 'lower_is_better' })
      .kpi('ENV-01', { directorate: 'Place', polarity: 'none' }, 'e.lead', ['e.lead'])
      .at('2024-10-01T08:00:00Z')
      .openCycle(Q2, ['ASC-01', 'ASC-02', 'ENV-01'], '2024-10-18')
      .at('2024-10-14T08:00:00Z')
      .remind('ASC-01', Q2, '2024-10-18')
      .remind('ASC-02', Q2, '2024-10-18')
      .at('2024-10-16T09:00:00Z')
      .submit('ASC-01', Q2, '96.0', ratingOf('green', '2024/25', GREEN_95))
      .at('2024-10-21T09:00:00Z')
      .chase('ASC-02', Q2, 1)
      .challenge('ASC-01', Q2, 'Denominator looks low')
      .escalate('ASC-02', Q2, 'dmt')
      .extendDeadline(Q2, '2024-10-18', '2024-10-25')
      .changeDueDate('ASC-02', Q2, '2024-10-18', '2024-10-25');
    await harness.feed(script);
  });
  afterEach(async () => {
    await harness.close();
  });

  describe('when the cycle is under way', () => {
    it('shows each return with state, due date, escalation, counts and the overdue flag at query time', async () => {
      const board = await getStatusBoard(harness.db, Q2, at('2024-10-22T10:00:00Z'));
      expect(board?.returns.map((r) => [r.kpiId, r.state, r.dueDate, r.overdue, r.escalationLevel])).toEqual([
        ['ASC-01', 'challenged', '2024-10-18', true, 'none'],
        ['ASC-02', 'requested', '2024-10-25', false, 'dmt'],
        ['ENV-01', 'requested', '2024-10-18', true, 'none'],
      ]);
      const asc01 = board!.returns[0]!;
      expect(asc01).toMatchObject({ submittedBy: 's.lead', value: '96.0', challengeCount: 1, reminderCount: 1 });
      expect(board!.returns[1]).toMatchObject({ reminderCount: 1, chaserCount: 1, challengeCount: 0 });
      expect(board!.countsByState).toMatchObject({ requested: 2, challenged: 1, submitted: 0, approved: 0 });
      expect(board!.overdueCount).toBe(2);
      expect(board!.escalatedCount).toBe(1);
      expect(board!.cycle.timetable.returnsDue).toBe('2024-10-25');
    });

    it('judges overdue by the date in Europe/London, not UTC', async () => {
      const env = (instant: string) => getReturnStatus(harness.db, 'ENV-01:2024/25-Q2', new Date(instant));
      // 23:30 BST on the due date: not yet overdue; 00:30 BST the next day: overdue.
      expect((await env('2024-10-18T22:30:00Z'))?.overdue).toBe(false);
      expect((await env('2024-10-18T23:30:00Z'))?.overdue).toBe(true);
    });

    it('filters by state, overdue, escalation, directorate and person', async () => {
      const ids = async (filter: Parameters<typeof getStatusBoard>[2]['filter']) =>
        (await getStatusBoard(harness.db, Q2, { now: new Date('2024-10-22T10:00:00Z'), filter: filter! }))!.returns.map(
          (r) => r.kpiId,
        );
      expect(await ids({ overdue: true })).toEqual(['ASC-01', 'ENV-01']);
      expect(await ids({ overdue: false })).toEqual(['ASC-02']);
      expect(await ids({ escalated: true })).toEqual(['ASC-02']);
      expect(await ids({ escalated: false })).toEqual(['ASC-01', 'ENV-01']);
      expect(await ids({ states: ['requested'] })).toEqual(['ASC-02', 'ENV-01']);
      expect(await ids({ directorate: 'Place' })).toEqual(['ENV-01']);
      expect(await ids({ person: 'k.contact' })).toEqual(['ASC-01', 'ASC-02']);
      expect(await ids({ person: 'e.lead' })).toEqual(['ENV-01']);
      // The person filter is narrowed with LIKE in SQL: its wildcards in an id match nothing else.
      expect(await ids({ person: 'k_contact' })).toEqual([]);
      expect(await ids({ person: '%' })).toEqual([]);
      expect(await ids({ person: 'k.contact"' })).toEqual([]);
      expect(await ids({ states: ['requested'], overdue: true })).toEqual(['ENV-01']);
    });

    it('groups rows by state or directorate', async () => {
      const board = await getStatusBoard(harness.db, Q2, at('2024-10-22T10:00:00Z'));
      expect(groupStatusBoard(board!.returns, 'state').map((g) => [g.key, g.returns.map((r) => r.kpiId)])).toEqual([
        ['challenged', ['ASC-01']],
        ['requested', ['ASC-02', 'ENV-01']],
      ]);
      expect(groupStatusBoard(board!.returns, 'directorate').map((g) => g.key)).toEqual([
        'Health, Care and Wellbeing',
        'Place',
      ]);
    });
  });

  describe('when returns are approved and the cycle closes', () => {
    it('shows who submitted and who approved, no overdue flag, and the closed cycle', async () => {
      await harness.feed(
        script
          .at('2024-10-23T09:00:00Z')
          .resubmit('ASC-01', Q2, '95.5', ratingOf('green', '2024/25', GREEN_95))
          .at('2024-10-24T09:00:00Z')
          .approve('ASC-01', Q2, '95.5', ratingOf('green', '2024/25', GREEN_95))
          .markNotAvailable('ENV-01', Q2, 'System outage', 'e.lead')
          .at('2024-11-30T09:00:00Z')
          .closeCycle(Q2, ['ASC-02:2024/25-Q2', 'ENV-01:2024/25-Q2']),
      );
      const board = await getStatusBoard(harness.db, Q2, at('2024-12-01T10:00:00Z'));
      expect(board!.returns.map((r) => [r.kpiId, r.state, r.overdue])).toEqual([
        ['ASC-01', 'approved', false],
        ['ASC-02', 'requested', true],
        ['ENV-01', 'marked_not_available', false],
      ]);
      expect(board!.returns[0]).toMatchObject({
        value: '95.5',
        submittedBy: 's.lead',
        approvedBy: 'd.director',
        approvedAt: '2024-10-24T09:00:00.000Z',
        rating: { status: 'green', label: 'Green' },
      });
      expect(await getCycle(harness.db, Q2)).toMatchObject({ state: 'closed', closedAt: '2024-11-30T09:00:00.000Z' });
      expect((await listCycles(harness.db)).map((c) => c.cycleId)).toEqual([Q2]);
    });
  });

  it('applies a KPI’s new owner, title and directorate to its returns in open cycles, and leaves closed cycles as reported', async () => {
    const Q3 = '2024/25-Q3';
    await harness.feed(
      script
        .at('2024-11-30T09:00:00Z')
        .closeCycle(Q2, ['ASC-01:2024/25-Q2', 'ASC-02:2024/25-Q2', 'ENV-01:2024/25-Q2'])
        .at('2025-01-06T08:00:00Z')
        .openCycle(Q3, ['ASC-01', 'ASC-02'], '2025-01-17')
        .at('2025-01-08T11:00:00Z')
        .changeOwner('ASC-01', 'n.lead', ['n.contact'])
        .amendKpi('ASC-02', { title: 'Delayed transfers of care', directorate: 'Adults' }, 'restructure'),
    );
    const owners = async (cycleId: string) =>
      (await getStatusBoard(harness.db, cycleId, at('2025-01-09T10:00:00Z')))!.returns.map((r) => [r.kpiId, r.owner, r.keyContacts]).sort();
    expect(await owners(Q3)).toEqual([
      ['ASC-01', 'n.lead', ['n.contact']],
      ['ASC-02', 's.lead', ['k.contact']],
    ]);
    expect(await owners(Q2)).toEqual([
      ['ASC-01', 's.lead', ['k.contact']],
      ['ASC-02', 's.lead', ['k.contact']],
      ['ENV-01', 'e.lead', ['e.lead']],
    ]);
    const titles = async (cycleId: string) =>
      (await getStatusBoard(harness.db, cycleId, at('2025-01-09T10:00:00Z')))!.returns.map((r) => [r.kpiId, r.kpiTitle, r.directorate]).sort();
    expect((await titles(Q3))[1]).toEqual(['ASC-02', 'Delayed transfers of care', 'Adults']);
    expect((await titles(Q2))[1]).toEqual(['ASC-02', 'Delayed transfers', 'Health, Care and Wellbeing']);
    const forPerson = { now: new Date('2025-01-09T10:00:00Z'), filter: { person: 'n.contact' } };
    expect((await getStatusBoard(harness.db, Q3, forPerson))!.returns.map((r) => r.kpiId)).toEqual(['ASC-01']);
  });

  it('answers undefined for an unknown cycle', async () => {
    expect(await getStatusBoard(harness.db, '2030/31-Q1', at('2024-10-22T10:00:00Z'))).toBeUndefined();
  });
});

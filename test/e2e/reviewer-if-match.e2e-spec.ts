import { ProjectedKpiRegister, ProjectedPeopleDirectory, RecordNoticeCommand, UseCaseBus, UseCaseDependencies } from '@quarterly/application';
import { REMINDERS_ACTOR } from '@quarterly/reminders';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle, submitFigure } from '@quarterly/testing/e2e-fixtures';

const CYCLE = '2026/27-Q2';
const TIMETABLE = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const pathOf = (kpiId: string) => `/returns/${kpiId}/2026-27-Q2`;

// What a DMT reviewer judged is the figure, its narrative and the return's stage. The engine's own
// bookkeeping between their reading and their decision (a deadline extension moving every open
// return's due date, a chaser) must not make them review again; a resubmission must.
describe.each(['sqlite', 'postgres'] as const)("a reviewer's If-Match against what they judged (%s)", (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;
  const typesOf = async (kpiId: string) => (await api.engine.store.readStream(`return-${kpiId}-2026-27-Q2`)).map((e) => e.type);

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-05T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    for (const kpiId of ['REV-01', 'REV-02', 'REV-03']) await defineKpi(team, kpiId);
    await openCycle(api, team, CYCLE, TIMETABLE);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('approves with the version read before a deadline extension moved the due date', async () => {
    expectStatus(await submitFigure(lead, 'REV-01', CYCLE, '46.0'), 200);
    const read = expectStatus(await dmt('GET', pathOf('REV-01')), 200);
    const seen = read.headers.get('etag')!;

    api.clock.set('2026-10-12T09:00:00Z');
    expectStatus(await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-10-19', reason: 'Data supplier outage.' } }), 200);
    await settle(api);
    expect(await typesOf('REV-01')).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnDueDateChanged']);
    const after = expectStatus(await dmt('GET', pathOf('REV-01')), 200);
    // The representation changed (its due date), so its ETag did: a cache never serves the old one.
    expect(after.body.dueDate).toBe('2026-10-19');
    expect(after.headers.get('etag')).not.toBe(seen);

    const approved = await dmt('POST', `${pathOf('REV-01')}/approval`, { body: {}, headers: { 'if-match': seen } });
    expectStatus(approved, 200);
    expect(approved.body.resource).toMatchObject({ status: 'approved', approvedBy: PRINCIPALS.placeDmt.id, approvedValue: '46.0' });
    expect(await typesOf('REV-01')).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnDueDateChanged', 'ReturnApproved']);
  });

  it('challenges with the version read before the reminder worker chased the DMT', async () => {
    expectStatus(await submitFigure(lead, 'REV-02', CYCLE, '41.0'), 200);
    const seen = expectStatus(await dmt('GET', pathOf('REV-02')), 200).headers.get('etag')!;

    // The worker records the chaser through the same use case its timer job calls.
    api.clock.set('2026-10-22T09:00:00Z');
    const worker = new UseCaseBus(
      new UseCaseDependencies({ executor: api.engine.executor, directory: new ProjectedPeopleDirectory(api.engine.readModels), kpiRegister: new ProjectedKpiRegister(api.engine.readModels) }),
    );
    const chased = await worker.execute(
      new RecordNoticeCommand(
        { kpiId: 'REV-02', periodId: CYCLE },
        { kind: 'chase', rule: 'dmt_review_overdue', workingDaysOverdue: 1, noticeKey: 'dmt-review.2026-10-21.1' },
        { principal: { id: REMINDERS_ACTOR, roles: ['performance-team'] }, envelope: { actor: REMINDERS_ACTOR, now: api.clock.now().toISOString(), correlationId: 'timer-1', causationId: 'timer-1' }, internal: true },
      ),
    );
    expect(chased.appended).toBe(1);

    const challenged = await dmt('POST', `${pathOf('REV-02')}/challenge`, { body: { reason: 'Below Q1: check the tonnage.' }, headers: { 'if-match': seen } });
    expectStatus(challenged, 200);
    expect(challenged.body.resource.status).toBe('challenged');
    // (The first test's deadline extension moved this return's due date before its submission.)
    expect(await typesOf('REV-02')).toEqual(['ReturnRequested', 'ReturnDueDateChanged', 'ReturnSubmitted', 'ReturnChased', 'ReturnChallenged']);
  });

  it('refuses (412, naming the state now) an approval with the version read before a resubmission', async () => {
    expectStatus(await submitFigure(lead, 'REV-03', CYCLE, '41.0'), 200);
    const seen = expectStatus(await dmt('GET', pathOf('REV-03')), 200).headers.get('etag')!;
    // Meanwhile the performance team challenges and the service lead resubmits.
    expectStatus(await team('POST', `${pathOf('REV-03')}/challenge`, { body: { reason: 'Missing September.' }, headers: { 'if-match': seen } }), 200);
    const resubmitted = expectStatus(
      await lead('POST', `${pathOf('REV-03')}/resubmission`, { body: { value: '44.0', commentary: 'September added.', offTargetReason: 'Late data.', routeToGreen: 'Monthly checks.', responseToChallenge: 'Added.' } }),
      200,
    );

    const stale = await dmt('POST', `${pathOf('REV-03')}/approval`, { body: {}, headers: { 'if-match': seen } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ code: 'stale_version', currentState: 'resubmitted', currentVersion: resubmitted.body.version });
    expect(await typesOf('REV-03')).not.toContain('ReturnApproved');
  });
});

import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle, submitAndApprove, submitFigure } from '@quarterly/testing/e2e-fixtures';

// Timetables given explicitly; each is in order and starts after its quarter's end.
const TIMETABLES: Record<string, Record<string, string>> = {
  '2026/27-Q1': { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' },
  '2026/27-Q2': { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-28', cltDate: '2026-11-04', publicationDate: '2026-11-11' },
  '2026/27-Q4': { returnsDue: '2027-04-14', dmtReviewDeadline: '2027-04-21', cltDate: '2027-04-28', publicationDate: '2027-05-12' },
};

const ids = (response: { body: { resource: { requestedReturns: Array<{ kpiId: string }> } } }) =>
  response.body.resource.requestedReturns.map((r) => r.kpiId);

describe.each(['sqlite', 'postgres'] as const)('reporting cycles over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;
  const opened: Record<string, Awaited<ReturnType<typeof openCycle>>> = {};

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-04-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'MON-01', { frequency: 'monthly', keyContacts: ['o.lead'] });
    await defineKpi(team, 'QTR-01');
    await defineKpi(team, 'SIX-01', { frequency: 'six_monthly' });
    await defineKpi(team, 'ANN-Q2', { frequency: 'annual', annualDueQuarter: 2 });
    await defineKpi(team, 'ANN-Q4', { frequency: 'annual' });
    await defineKpi(team, 'OLD-01');
    await defineKpi(team, 'PPL-01', { directorate: 'People', serviceArea: "Children's Services", owner: 'c.lead' });
    expectStatus(await team('POST', '/kpis/OLD-01/retirement', { body: { reason: 'Replaced by QTR-01.', effectiveFrom: '2026/27-Q3' } }), 200);

    // Every quarter of the year, in order; Q3 takes the default timetable.
    for (const cycleId of ['2026/27-Q1', '2026/27-Q2', '2026/27-Q3', '2026/27-Q4']) {
      opened[cycleId] = await openCycle(api, team, cycleId, TIMETABLES[cycleId]);
    }
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('opening', () => {
    it('requests monthly and quarterly KPIs every quarter, six-monthly at Q2 and Q4, annual in their due quarter, retired ones not', () => {
      expect(ids(opened['2026/27-Q1']!)).toEqual(['MON-01', 'OLD-01', 'PPL-01', 'QTR-01']);
      expect(ids(opened['2026/27-Q2']!)).toEqual(['ANN-Q2', 'MON-01', 'OLD-01', 'PPL-01', 'QTR-01', 'SIX-01']);
      expect(ids(opened['2026/27-Q3']!)).toEqual(['MON-01', 'PPL-01', 'QTR-01']);
      expect(ids(opened['2026/27-Q4']!)).toEqual(['ANN-Q4', 'MON-01', 'PPL-01', 'QTR-01', 'SIX-01']);
    });

    it('creates each requested return with the period it covers and, for monthly KPIs, the months', async () => {
      const six = expectStatus(await lead('GET', '/returns/SIX-01/2026-27-Q2'), 200);
      expect(six.body).toMatchObject({ status: 'requested', periodCovered: '2026/27-H1', dueDate: '2026-10-14' });
      expect((await lead('GET', '/returns/SIX-01/2026-27-Q4')).body.periodCovered).toBe('2026/27-H2');
      // An annual figure collected before Q4 covers the previous, complete year.
      expect((await lead('GET', '/returns/ANN-Q2/2026-27-Q2')).body.periodCovered).toBe('2025/26');
      expect((await lead('GET', '/returns/ANN-Q4/2026-27-Q4')).body.periodCovered).toBe('2026/27');
      expect((await lead('GET', '/returns/MON-01/2026-27-Q3')).body.expectedMonths).toEqual(['2026-10', '2026-11', '2026-12']);
      expect((await lead('GET', '/returns/QTR-01/2026-27-Q3')).body.expectedMonths).toEqual([]);

      expect((await lead('GET', '/returns/SIX-01/2026-27-Q1')).status).toBe(404);
      expect((await lead('GET', '/returns/ANN-Q4/2026-27-Q2')).status).toBe(404);
      expect((await lead('GET', '/returns/OLD-01/2026-27-Q3')).status).toBe(404);
    });

    it('shows the requested returns on the status board, filtered and grouped', async () => {
      const board = expectStatus(await team('GET', '/cycles/2026-27-Q2/status-board'), 200).body;
      expect(board.cycle).toMatchObject({ cycleId: '2026/27-Q2', state: 'open', requestedCount: 6, timetable: TIMETABLES['2026/27-Q2'] });
      expect(board.returns.map((r: { kpiId: string }) => r.kpiId)).toEqual(['PPL-01', 'ANN-Q2', 'MON-01', 'OLD-01', 'QTR-01', 'SIX-01']);
      expect(board.countsByState).toMatchObject({ requested: 6, submitted: 0, approved: 0 });

      const people = (await team('GET', '/cycles/2026-27-Q2/status-board?directorate=People')).body;
      expect(people.returns.map((r: { kpiId: string }) => r.kpiId)).toEqual(['PPL-01']);
      const contact = (await team('GET', '/cycles/2026-27-Q2/status-board?person=o.lead')).body;
      expect(contact.returns.map((r: { kpiId: string }) => r.kpiId)).toEqual(['MON-01']);

      const grouped = (await team('GET', '/cycles/2026-27-Q2/status-board?groupBy=directorate')).body;
      expect(grouped.groups.map((g: { key: string; returns: unknown[] }) => [g.key, g.returns.length])).toEqual([
        ['People', 1],
        ['Place', 5],
      ]);
      const byOwner = (await team('GET', '/cycles/2026-27-Q2/status-board?groupBy=owner')).body;
      expect(byOwner.groups.map((g: { key: string }) => g.key)).toEqual(['c.lead', 's.lead']);

      // Nothing is overdue on 1 April 2026; everything is by 1 December.
      expect((await team('GET', '/cycles/2026-27-Q2/status-board?overdue=true')).body.returns).toHaveLength(0);
      expect((await team('GET', '/cycles/2026-27-Q2/status-board?groupBy=sideways')).status).toBe(400);
      expect((await team('GET', '/cycles/2027-28-Q1/status-board')).status).toBe(404);
    });

    it('takes the default timetable in England and Wales working days when none is given (New Year skipped)', async () => {
      // Q3 ends Thursday 31 December 2026; Friday 1 January 2027 is a bank holiday, so the tenth
      // working day after is Friday 15 January.
      const timetable = { returnsDue: '2027-01-15', dmtReviewDeadline: '2027-01-22', cltDate: '2027-01-29', publicationDate: '2027-02-12' };
      expect(opened['2026/27-Q3']!.body.resource.timetable).toEqual(timetable);
      expect((await team('GET', '/cycles/2026-27-Q3')).body.timetable).toEqual(timetable);
      expect((await lead('GET', '/returns/QTR-01/2026-27-Q3')).body.dueDate).toBe('2027-01-15');
    });

    it('refuses a second opening of the same cycle with 409, writing nothing', async () => {
      const before = await api.engine.store.readStream('cycle-2026-27-Q2');
      const again = await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2', timetable: TIMETABLES['2026/27-Q2'] } });
      expect(again.status).toBe(409);
      expect(again.headers.get('content-type')).toContain('application/problem+json');
      expect(await api.engine.store.readStream('cycle-2026-27-Q2')).toEqual(before);
    });

    it('answers a repeated opening with the same Idempotency-Key as the first time, writing once', async () => {
      const send = () => team('POST', '/cycles', { body: { cycleId: '2027/28-Q2' }, headers: { 'idempotency-key': 'open-2027-28-q2' } });
      const first = await send();
      expect(first.status).toBe(201);
      expect(first.headers.get('location')).toBe('/cycles/2027-28-Q2');
      const repeat = await send();
      expect(repeat.status).toBe(200);
      expect(repeat.headers.get('idempotent-replayed')).toBe('true');
      expect(repeat.body).toMatchObject({ repeated: true, version: first.body.version, position: first.body.position });
      expect(repeat.body.resource.requestedReturns).toEqual(first.body.resource.requestedReturns);
      expect((await api.engine.store.readStream('cycle-2027-28-Q2')).map((e) => e.type)).toEqual(['CycleOpened']);
      const reused = await team('POST', '/cycles', { body: { cycleId: '2027/28-Q2', timetable: TIMETABLES['2026/27-Q2'] }, headers: { 'idempotency-key': 'open-2027-28-q2' } });
      expect(reused.status).toBe(422);
      await settle(api);
    });

    it('keeps the reminder policy a cycle is opened with, refusing unknown or out-of-range fields by name', async () => {
      const misspelt = await team('POST', '/cycles', { body: { cycleId: '2029/30-Q2', reminderPolicy: { chaseEveryWorkingDay: 3 } } });
      expect(misspelt.status).toBe(400);
      expect(misspelt.body.errors.map((e: { field: string }) => e.field)).toEqual(['reminderPolicy.chaseEveryWorkingDay']);
      const outOfRange = await team('POST', '/cycles', { body: { cycleId: '2029/30-Q2', reminderPolicy: { escalateToDmtAfterWorkingDays: 0 } } });
      expect(outOfRange.status).toBe(400);
      expect(outOfRange.body.errors.map((e: { field: string }) => e.field)).toEqual(['reminderPolicy.escalateToDmtAfterWorkingDays']);
      expect((await team('GET', '/cycles/2029-30-Q2')).status).toBe(404);

      const policy = { remindWorkingDaysBefore: [5, 2], escalateToDmtAfterWorkingDays: 5, escalateToCltAfterWorkingDays: 10 };
      const opened = await team('POST', '/cycles', { body: { cycleId: '2029/30-Q2', reminderPolicy: policy } });
      expect(opened.status).toBe(201);
      const events = await api.engine.store.readStream('cycle-2029-30-Q2');
      expect(events.map((event) => [event.type, (event.data as { policy?: unknown }).policy])).toEqual([['CycleOpened', policy]]);
    });

    it('refuses a timetable out of order or starting before the quarter ends, naming the field', async () => {
      const outOfOrder = await team('POST', '/cycles', {
        body: { cycleId: '2027/28-Q1', timetable: { returnsDue: '2027-07-14', dmtReviewDeadline: '2027-07-21', cltDate: '2027-07-20', publicationDate: '2027-08-11' } },
      });
      expect(outOfOrder.status).toBe(400);
      expect(outOfOrder.body.errors.map((e: { field: string }) => e.field)).toEqual(['timetable.cltDate']);

      const early = await team('POST', '/cycles', {
        body: { cycleId: '2027/28-Q1', timetable: { returnsDue: '2027-06-30', dmtReviewDeadline: '2027-07-21', cltDate: '2027-07-28', publicationDate: '2027-08-11' } },
      });
      expect(early.status).toBe(400);
      expect(early.body.errors.map((e: { field: string }) => e.field)).toEqual(['timetable.returnsDue']);

      const notADate = await team('POST', '/cycles', {
        body: { cycleId: '2027/28-Q1', timetable: { returnsDue: '14/07/2027', dmtReviewDeadline: '2027-07-21', cltDate: '2027-07-28', publicationDate: '2027-08-11' } },
      });
      expect(notADate.status).toBe(400);
      expect(notADate.body.errors.map((e: { field: string }) => e.field)).toEqual(['timetable.returnsDue']);

      const badId = await team('POST', '/cycles', { body: { cycleId: '2027-Q1' } });
      expect(badId.status).toBe(400);
      expect(badId.body.errors.map((e: { field: string }) => e.field)).toEqual(['cycleId']);

      expect((await api.engine.store.readStream('cycle-2027-28-Q1'))).toEqual([]);
    });
  });

  describe('extending the returns deadline', () => {
    it('moves the due date of returns still open, not of approved ones', async () => {
      api.clock.set('2026-10-05T09:00:00Z');
      await submitAndApprove(lead, dmt, 'QTR-01', '2026/27-Q2', '46.0');
      expectStatus(await submitFigure(lead, 'OLD-01', '2026/27-Q2', '44.0'), 200);

      const cycle = await team('GET', '/cycles/2026-27-Q2');
      const extended = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', {
        body: { deadline: 'returnsDue', to: '2026-10-21', reason: 'System outage in the waste service.' },
        headers: { 'if-match': cycle.headers.get('etag')! },
      });
      expectStatus(extended, 200);
      expect(extended.body.resource.timetable.returnsDue).toBe('2026-10-21');
      await settle(api);

      for (const kpiId of ['ANN-Q2', 'MON-01', 'PPL-01', 'SIX-01']) {
        expect([kpiId, (await lead('GET', `/returns/${kpiId}/2026-27-Q2`)).body.dueDate]).toEqual([kpiId, '2026-10-21']);
      }
      // Submitted but not approved: it can still be challenged back to the service, so it follows.
      expect((await lead('GET', '/returns/OLD-01/2026-27-Q2')).body.dueDate).toBe('2026-10-21');
      const approved = await lead('GET', '/returns/QTR-01/2026-27-Q2');
      expect(approved.body).toMatchObject({ status: 'approved', dueDate: '2026-10-14' });
      const approvedEvents = (await api.engine.store.readStream('return-QTR-01-2026-27-Q2')).map((e) => e.type);
      expect(approvedEvents).not.toContain('ReturnDueDateChanged');

      const board = (await team('GET', '/cycles/2026-27-Q2/status-board')).body;
      expect(board.cycle.timetable.returnsDue).toBe('2026-10-21');
      expect(Object.fromEntries(board.returns.map((r: { kpiId: string; dueDate: string }) => [r.kpiId, r.dueDate]))).toMatchObject({
        'QTR-01': '2026-10-14',
        'MON-01': '2026-10-21',
      });
    });

    it('refuses a deadline that is not later, or that passes the next date in the timetable', async () => {
      const earlier = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-10-15', reason: 'x' } });
      expect(earlier.status).toBe(400);
      expect(earlier.body.code).toBe('deadline_not_later');
      const pastDmt = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-10-30', reason: 'x' } });
      expect(pastDmt.status).toBe(400);
      expect(pastDmt.body.errors.map((e: { field: string }) => e.field)).toEqual(['timetable.dmtReviewDeadline']);
      const wrongDeadline = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'cltDate', to: '2026-11-30', reason: 'x' } });
      expect(wrongDeadline.status).toBe(400);
      expect(wrongDeadline.body.errors.map((e: { field: string }) => e.field)).toEqual(['deadline']);
    });

    it('judges overdue against the moved date', async () => {
      api.clock.set('2026-10-19T12:00:00Z'); // after the old deadline, before the new one
      expect((await team('GET', '/cycles/2026-27-Q2/status-board?overdue=true')).body.returns).toHaveLength(0);
      api.clock.set('2026-10-22T12:00:00Z');
      const overdue = (await team('GET', '/cycles/2026-27-Q2/status-board?overdue=true')).body;
      expect(overdue.returns.map((r: { kpiId: string }) => r.kpiId)).toEqual(['PPL-01', 'ANN-Q2', 'MON-01', 'SIX-01']);
      expect(overdue.overdueCount).toBe(4);
    });
  });

  describe('closing', () => {
    it('records the returns not yet approved as outstanding, and a closed cycle refuses more changes', async () => {
      api.clock.set('2026-11-20T09:00:00Z');
      const cycle = await team('GET', '/cycles/2026-27-Q2');
      const closed = expectStatus(await team('POST', '/cycles/2026-27-Q2/closure', { headers: { 'if-match': cycle.headers.get('etag')! } }), 200);
      expect(closed.body.resource.status).toBe('closed');
      expect([...closed.body.resource.outstandingReturnIds].sort()).toEqual([
        'ANN-Q2:2026/27-Q2',
        'MON-01:2026/27-Q2',
        'OLD-01:2026/27-Q2',
        'PPL-01:2026/27-Q2',
        'SIX-01:2026/27-Q2',
      ]);
      const events = await api.engine.store.readStream('cycle-2026-27-Q2');
      expect(events[events.length - 1]).toMatchObject({ type: 'CycleClosed', metadata: { actor: 'p.team', recordedAt: '2026-11-20T09:00:00.000Z' } });

      const board = (await team('GET', `/cycles/2026-27-Q2/status-board?after=${closed.body.position}`)).body;
      expect(board.cycle).toMatchObject({ state: 'closed', closedAt: '2026-11-20T09:00:00.000Z' });

      const again = await team('POST', '/cycles/2026-27-Q2/closure', {});
      expect(again.status).toBe(409);
      expect(again.body.currentState).toBe('closed');
      const extend = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'dmtReviewDeadline', to: '2026-10-29', reason: 'x' } });
      expect(extend.status).toBe(409);
    });

    it('refuses a closure against a stale version with 412, and closing an unopened cycle with 409', async () => {
      const stale = await team('POST', '/cycles/2026-27-Q1/closure', { headers: { 'if-match': '"5"' } });
      expect(stale.status).toBe(412);
      expect(stale.body.currentState).toBe('open');
      const never = await team('POST', '/cycles/2025-26-Q1/closure', {});
      expect(never.status).toBe(409);
      expect(never.body.currentState).toBe('not_opened');
    });
  });
});

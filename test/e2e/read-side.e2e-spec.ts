import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';

const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

const kpiIdsOf = (list: Array<{ kpiId: string }>) => list.map((k) => k.kpiId);

describe.each(['sqlite', 'postgres'] as const)('the read side over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let auditor: ApiClient;
  let lastWrite: string;

  /** Submits (off-target figures with their justification) and approves, at the clock's times. */
  async function report(kpiId: string, cycle: string, value: string, by: { lead: ApiClient; dmt: ApiClient }) {
    const path = `/returns/${kpiId}/${cycle}`;
    const submitted = expectStatus(
      await by.lead('POST', `${path}/submission`, {
        body: { value, commentary: `${kpiId} commentary for ${cycle}.`, offTargetReason: 'Staff shortages.', routeToGreen: 'Recruitment.' },
      }),
      200,
    );
    const approved = expectStatus(await by.dmt('POST', `${path}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
    lastWrite = approved.body.position;
  }

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-06-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    auditor = api.as(PRINCIPALS.auditor);
    const place = { lead: api.as(PRINCIPALS.placeLead), dmt: api.as(PRINCIPALS.placeDmt) };
    const people = { lead: api.as(PRINCIPALS.peopleLead), dmt: api.as(PRINCIPALS.peopleDmt) };

    await defineKpi(team, 'ENV-01');
    await defineKpi(team, 'ENV-02', { planOutcome: '1.3.2 Fewer missed bins' });
    await defineKpi(team, 'CHS-01', { directorate: 'People', serviceArea: "Children's Services", planOutcome: '2.1.1 Children are safe', owner: 'c.lead', keyContacts: ['o.lead'] });
    await defineKpi(team, 'TRK-01', { polarity: 'none', unit: 'count', decimalPlaces: 0, planOutcome: '1.3.2 Fewer missed bins' }, { financialYear: '2026-27', policy: { kind: 'tracker' } });
    await defineKpi(team, 'OLD-01');
    expectStatus(await team('POST', '/kpis/OLD-01/retirement', { body: { reason: 'No longer collected.', effectiveFrom: '2026/27-Q1' } }), 200);
    for (const person of [
      { personId: 'd.place', name: 'Dana Place', email: 'dana@council.example', roles: ['dmt'], directorate: 'Place' },
      { personId: 'd.people', name: 'Dev People', email: 'dev@council.example', roles: ['dmt', 'clt'], directorate: 'People' },
      { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: 'Place' },
      { personId: 'gone', name: 'Gone Away', email: 'gone@council.example', roles: ['service-lead'], directorate: 'Place' },
    ]) {
      expectStatus(await team('POST', '/people', { body: person }), 201);
    }
    expectStatus(await team('POST', '/people/gone/deactivation', { body: { reason: 'Left the council.' } }), 200);

    await openCycle(api, team, '2026/27-Q1', Q1);
    api.clock.set('2026-07-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q1', '44.0', place); // amber
    await report('ENV-02', '2026-27-Q1', '46.0', place); // green
    await report('CHS-01', '2026-27-Q1', '46.0', people); // green
    await report('TRK-01', '2026-27-Q1', '100', place);

    api.clock.set('2026-10-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q2', '46.0', place); // green: improving
    await report('ENV-02', '2026-27-Q2', '38.0', place); // red: declining
    await report('CHS-01', '2026-27-Q2', '46.0', people); // green: no change
    await report('TRK-01', '2026-27-Q2', '120', place); // tracker: higher
    // Found wrong later and restated; approved again on 2 November.
    api.clock.set('2026-11-01T10:00:00Z');
    const current = await place.lead('GET', '/returns/ENV-01/2026-27-Q2');
    const restated = expectStatus(
      await place.lead('POST', '/returns/ENV-01/2026-27-Q2/restatement', {
        body: { value: '43.0', reason: 'Contaminated loads removed.' },
        headers: { 'if-match': current.headers.get('etag')! },
      }),
      200,
    );
    api.clock.set('2026-11-02T10:00:00Z');
    const reapproved = expectStatus(await place.dmt('POST', '/returns/ENV-01/2026-27-Q2/approval', { body: {}, headers: { 'if-match': restated.headers.get('etag')! } }), 200);
    lastWrite = reapproved.body.position;
    await settle(api);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('lists the KPI register with its filters and targets', async () => {
    const all = expectStatus(await auditor('GET', '/kpis'), 200).body;
    expect(kpiIdsOf(all)).toEqual(['CHS-01', 'ENV-01', 'ENV-02', 'TRK-01']);
    expect(all.find((k: { kpiId: string }) => k.kpiId === 'ENV-01').targets).toEqual([
      expect.objectContaining({ financialYear: '2026/27', policy: { kind: 'thresholds', green: '45.0', amber: '40.0' }, setBy: 'p.team' }),
    ]);
    expect(kpiIdsOf((await auditor('GET', '/kpis?includeRetired=true')).body)).toEqual(['CHS-01', 'ENV-01', 'ENV-02', 'OLD-01', 'TRK-01']);
    const retired = (await auditor('GET', '/kpis?includeRetired=true')).body.find((k: { kpiId: string }) => k.kpiId === 'OLD-01');
    expect(retired).toMatchObject({ retired: true, retiredFrom: '2026/27-Q1', retiredReason: 'No longer collected.' });
    expect(kpiIdsOf((await auditor('GET', '/kpis?directorate=People')).body)).toEqual(['CHS-01']);
    expect(kpiIdsOf((await auditor('GET', '/kpis?person=o.lead')).body)).toEqual(['CHS-01']);
    expect(kpiIdsOf((await auditor('GET', '/kpis?person=s.lead&directorate=Place')).body)).toEqual(['ENV-01', 'ENV-02', 'TRK-01']);
    expect((await auditor('GET', '/kpis?directorate=Nowhere')).body).toEqual([]);
  });

  it('lists the people directory by role and directorate, leaving out the deactivated', async () => {
    const everyone = expectStatus(await team('GET', '/people'), 200).body;
    // Besides the people registered here, the callers of this suite (the API knows only people of its directory).
    expect(everyone.map((p: { personId: string }) => p.personId)).toEqual(['a.audit', 'c.lead', 'd.people', 'd.place', 'p.team', 's.lead']);
    expect((await team('GET', '/people?role=dmt')).body.map((p: { personId: string }) => p.personId)).toEqual(['d.people', 'd.place']);
    expect((await team('GET', '/people?role=clt')).body.map((p: { personId: string }) => p.personId)).toEqual(['d.people']);
    expect((await auditor('GET', '/people?directorate=Place')).body.map((p: { personId: string }) => p.personId)).toEqual(['d.place', 's.lead']);
    expect(everyone.find((p: { personId: string }) => p.personId === 'd.people')).toMatchObject({ name: 'Dev People', email: 'dev@council.example', roles: ['dmt', 'clt'], active: true });
    expect((await team('GET', '/people?role=wizard')).status).toBe(400);
    expect((await team('GET', '/people/gone')).body).toMatchObject({ status: 'deactivated' });
  });

  it('compares each figure with the previous quarter: direction of travel and the summary', async () => {
    const scorecard = expectStatus(await auditor('GET', `/scorecards/2026-27-Q2?asAt=2026-10-20T00:00:00Z`), 200).body;
    const byKpi = Object.fromEntries(scorecard.entries.map((e: { kpiId: string }) => [e.kpiId, e]));
    expect(byKpi['ENV-01']).toMatchObject({ value: '46.0', status: 'green', previous: { cycleId: '2026/27-Q1', value: '44.0', status: 'amber' }, directionVsPrevious: 'improving' });
    expect(byKpi['ENV-02']).toMatchObject({ value: '38.0', status: 'red', directionVsPrevious: 'declining' });
    expect(byKpi['CHS-01']).toMatchObject({ value: '46.0', status: 'green', directionVsPrevious: 'no_change' });
    expect(byKpi['TRK-01']).toMatchObject({ value: '120', status: null, directionVsPrevious: 'higher' });
    expect(byKpi['ENV-01'].recentPeriods.map((p: { value: string }) => p.value)).toEqual(['44.0']);
    // No 2025/26 cycle ran: nothing to compare with last year.
    expect(byKpi['ENV-01'].directionVsLastYear).toBeNull();

    expect(scorecard.summary).toMatchObject({
      total: 4,
      withTargets: 3,
      metTarget: 2,
      percentMetTarget: '66.7',
      statusCounts: { green: 2, amber: 0, red: 1, no_status: 1 },
      directionVsPrevious: { improving: 1, declining: 1, no_change: 1, higher: 1, lower: 0, same: 0 },
      crossTableVsPrevious: { met: { better: 1, same: 1, worse: 0 }, not_met: { better: 0, same: 0, worse: 1 } },
      byDirectorate: [
        expect.objectContaining({ directorate: 'People', green: 1, red: 0 }),
        expect.objectContaining({ directorate: 'Place', green: 1, red: 1, no_status: 1 }),
      ],
    });
  });

  it('groups the scorecard by plan outcome and shows the restated figure now', async () => {
    const scorecard = expectStatus(await auditor('GET', `/scorecards/2026-27-Q2?groupBy=plan_outcome&after=${lastWrite}`), 200).body;
    expect(scorecard.groupBy).toBe('plan_outcome');
    expect(scorecard.groups.map((g: { key: string; entries: Array<{ kpiId: string }> }) => [g.key, kpiIdsOf(g.entries)])).toEqual([
      ['1.2.1 Keep our city clean', ['ENV-01']],
      ['1.3.2 Fewer missed bins', ['ENV-02', 'TRK-01']],
      ['2.1.1 Children are safe', ['CHS-01']],
    ]);
    const env01 = scorecard.entries.find((e: { kpiId: string }) => e.kpiId === 'ENV-01');
    expect(env01).toMatchObject({ value: '43.0', status: 'amber', directionVsPrevious: 'declining', approvedAt: '2026-11-02T10:00:00.000Z' });
    expect(scorecard.summary.metTarget).toBe(1);
    const byDirectorate = (await auditor('GET', '/scorecards/2026-27-Q2')).body;
    expect(byDirectorate.groups.map((g: { key: string }) => g.key)).toEqual(['People', 'Place']);
  });

  it('lists the exceptions: red figures and changes of status, with their commentary', async () => {
    const asCabinetSawIt = expectStatus(await auditor('GET', '/scorecards/2026-27-Q2/exceptions?asAt=2026-10-20T00:00:00Z'), 200).body;
    expect(asCabinetSawIt.items.map((i: { entry: { kpiId: string }; reasons: string[] }) => [i.entry.kpiId, i.reasons])).toEqual([
      ['ENV-01', ['status_changed']],
      ['ENV-02', ['red', 'status_changed']],
    ]);
    expect(asCabinetSawIt.items[1].entry).toMatchObject({ commentary: 'ENV-02 commentary for 2026-27-Q2.', offTargetReason: 'Staff shortages.', routeToGreen: 'Recruitment.' });
    // Restated to amber, as it was in Q1: no longer a change of status.
    const now = (await auditor('GET', '/scorecards/2026-27-Q2/exceptions')).body;
    expect(now.items.map((i: { entry: { kpiId: string } }) => i.entry.kpiId)).toEqual(['ENV-02']);
  });

  it('answers the value history as at an instant and for one period', async () => {
    const all = expectStatus(await auditor('GET', '/kpis/ENV-01/history'), 200).body;
    expect(all.entries.map((e: { periodCovered: string; kind: string; value: string }) => [e.periodCovered, e.kind, e.value])).toEqual([
      ['2026/27-Q1', 'submitted', '44.0'],
      ['2026/27-Q1', 'approved', '44.0'],
      ['2026/27-Q2', 'submitted', '46.0'],
      ['2026/27-Q2', 'approved', '46.0'],
      ['2026/27-Q2', 'restated', '43.0'],
      ['2026/27-Q2', 'approved', '43.0'],
    ]);
    const q1 = (await auditor('GET', `/kpis/ENV-01/history?period=${encodeURIComponent('2026/27-Q1')}`)).body;
    expect(q1.entries.map((e: { kind: string; actor: string }) => [e.kind, e.actor])).toEqual([
      ['submitted', 's.lead'],
      ['approved', 'd.place'],
    ]);
    const then = (await auditor('GET', '/kpis/ENV-01/history?asAt=2026-10-31T23:59:59Z')).body;
    expect(then.asAt).toBe('2026-10-31T23:59:59Z');
    expect(then.entries.map((e: { value: string }) => e.value)).toEqual(['44.0', '44.0', '46.0', '46.0']);
    const both = (await auditor('GET', `/kpis/ENV-01/history?period=${encodeURIComponent('2026/27-Q2')}&asAt=2026-11-01T12:00:00Z`)).body;
    expect(both.entries.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'approved', 'restated']);
    const returnHistory = (await auditor('GET', '/returns/ENV-01/2026-27-Q2/history?asAt=2026-10-11T00:00:00Z')).body;
    expect(returnHistory.entries.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'approved']);
  });

  it("keeps the KPI's and the cycle's audit trails, in order, with who and when", async () => {
    const kpi = expectStatus(await auditor('GET', '/kpis/ENV-01/audit'), 200).body.entries;
    expect(kpi.map((e: { type: string }) => e.type)).toEqual([
      'KpiDefined',
      'KpiTargetPolicySet',
      'ReturnRequested',
      'ReturnSubmitted',
      'ReturnApproved',
      'ReturnRequested',
      'ReturnSubmitted',
      'ReturnApproved',
      'ReturnRestated',
      'ReturnApproved',
    ]);
    expect(kpi[0]).toMatchObject({ actor: 'p.team', streamId: 'kpi-ENV-01', recordedAt: '2026-06-01T09:00:00.000Z' });
    expect(kpi[2]).toMatchObject({ actor: 'system:cycle', streamId: 'return-ENV-01-2026-27-Q1' });
    const positions = kpi.map((e: { position: string }) => BigInt(e.position));
    expect([...positions].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(positions);

    const cycle = expectStatus(await team('GET', '/cycles/2026-27-Q1/audit'), 200).body.entries;
    expect(cycle[0]).toMatchObject({ type: 'CycleOpened', actor: 'p.team', streamId: 'cycle-2026-27-Q1' });
    expect(cycle.filter((e: { type: string }) => e.type === 'ReturnRequested')).toHaveLength(4);
    expect(cycle.filter((e: { type: string }) => e.type === 'ReturnApproved')).toHaveLength(4);
    expect(cycle.every((e: { streamId: string }) => e.streamId.endsWith('2026-27-Q1'))).toBe(true);
    // The process manager's requests are caused by the CycleOpened event and share its correlation.
    const requested = cycle.find((e: { type: string }) => e.type === 'ReturnRequested');
    expect(requested).toMatchObject({ causationId: cycle[0].eventId, correlationId: cycle[0].correlationId });

    expect((await api.as(PRINCIPALS.placeDmt)('GET', '/kpis/ENV-01/audit')).status).toBe(403);
  });

  it('reads its own writes with ?after=, and marks an answer stale when the position is never reached', async () => {
    const lead = api.as(PRINCIPALS.placeLead);
    const moved = expectStatus(await team('PUT', '/kpis/ENV-02/ownership', { body: { owner: 'o.lead', keyContacts: ['s.lead'], reason: 'Restructure.' } }), 200);
    const register = await lead('GET', `/kpis?person=o.lead&after=${moved.body.position}`);
    expect(register.headers.get('x-read-model-stale')).toBeNull();
    expect(register.body.map((k: { kpiId: string; owner: string }) => [k.kpiId, k.owner])).toEqual([['CHS-01', 'c.lead'], ['ENV-02', 'o.lead']]);

    const far = BigInt(moved.body.position) + 1_000_000n;
    const stale = await lead('GET', `/cycles/2026-27-Q2/status-board?after=${far}`);
    expect(stale.status).toBe(200);
    expect(stale.headers.get('x-read-model-stale')).toBe('true');
  });
});

import { startApiTestApp, type ApiClient, type ApiTestApp, type TestPrincipal } from '@quarterly/testing/api-test-app';

const performanceTeam: TestPrincipal = { id: 'p.team', roles: ['performance-team'] };
const serviceLead: TestPrincipal = { id: 's.lead', roles: ['service-lead'], directorate: 'Place' };
const otherLead: TestPrincipal = { id: 'o.lead', roles: ['service-lead'], directorate: 'Place' };
const placeDmt: TestPrincipal = { id: 'd.place', roles: ['dmt'], directorate: 'Place' };
const resourcesDmt: TestPrincipal = { id: 'd.resources', roles: ['dmt'], directorate: 'Resources' };
const auditor: TestPrincipal = { id: 'a.audit', roles: ['auditor'] };

const RECYCLING = {
  kpiId: 'ENV-01',
  title: 'Household waste sent for reuse, recycling or composting',
  definition: 'Tonnage of household waste reused, recycled or composted divided by total household waste collected.',
  directorate: 'Place',
  serviceArea: 'Waste Management',
  planOutcome: '1.2.1 Keep our city clean',
  unit: 'percentage',
  decimalPlaces: 1,
  polarity: 'higher_is_better',
  frequency: 'quarterly',
  measureType: 'year_to_date',
  dataSource: 'WasteDataFlow',
  limitations: 'Provisional until validated by DEFRA.',
  benchmarkSources: ['national average', 'core cities'],
  labels: 'green_amber_red',
  owner: 's.lead',
  keyContacts: [],
};

const TIMETABLE = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const RETURN = '/returns/ENV-01/2026-27-Q2';

describe.each(['sqlite', 'postgres'] as const)('a return from request to restatement over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-01T09:00:00Z' });
    team = api.as(performanceTeam);
    lead = api.as(serviceLead);
    dmt = api.as(placeDmt);
    expect((await team('POST', '/kpis', { body: RECYCLING })).status).toBe(201);
    expect(
      (await team('PUT', '/kpis/ENV-01/targets/2026-27', { body: { policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } } })).status,
    ).toBe(200);
    const opened = await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2', timetable: TIMETABLE } });
    expect(opened.status).toBe(201);
    expect(opened.body.resource.requestedReturns.map((r: { returnId: string }) => r.returnId)).toEqual(['ENV-01:2026/27-Q2']);
    await api.engine.waitForProcessManagers(BigInt(opened.body.position));
  });

  afterAll(async () => {
    await api?.close();
  });

  it('walks submit → challenge → resubmit → approve → restate → approve, keeping every value', async () => {
    const requested = await lead('GET', RETURN);
    expect(requested.status).toBe(200);
    expect(requested.body).toMatchObject({ status: 'requested', dueDate: '2026-10-14', kpiId: 'ENV-01' });

    // An amber figure must say why, and how it gets back to green.
    api.clock.set('2026-10-10T10:00:00Z');
    const unexplained = await lead('POST', `${RETURN}/submission`, { body: { value: '41.2', commentary: 'Dry summer reduced green waste.' } });
    expect(unexplained.status).toBe(400);
    expect(unexplained.headers.get('content-type')).toContain('application/problem+json');
    expect(unexplained.body.errors.map((e: { field: string }) => e.field)).toEqual(['offTargetReason', 'routeToGreen']);

    const submitted = await lead('POST', `${RETURN}/submission`, {
      body: { value: '41.2', commentary: 'Dry summer reduced green waste.', offTargetReason: 'Less garden waste.', routeToGreen: 'Food waste rollout in November.' },
      headers: { 'idempotency-key': 'submit-env01-q2-0001' },
    });
    expect(submitted.status).toBe(200);
    expect(submitted.body.resource).toMatchObject({ status: 'submitted', currentValue: '41.2', currentRating: { status: 'amber', label: 'Amber' } });
    const submittedVersion = submitted.headers.get('etag');

    // The same request again (a client retry) changes nothing and answers as the first time.
    const retried = await lead('POST', `${RETURN}/submission`, {
      body: { value: '41.2', commentary: 'Dry summer reduced green waste.', offTargetReason: 'Less garden waste.', routeToGreen: 'Food waste rollout in November.' },
      headers: { 'idempotency-key': 'submit-env01-q2-0001' },
    });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.version).toBe(submitted.body.version);
    const reused = await lead('POST', `${RETURN}/submission`, {
      body: { value: '99.9', commentary: 'different', offTargetReason: 'x', routeToGreen: 'y' },
      headers: { 'idempotency-key': 'submit-env01-q2-0001' },
    });
    expect(reused.status).toBe(422);

    // The DMT must say which version it reviewed.
    api.clock.set('2026-10-15T14:00:00Z');
    expect((await dmt('POST', `${RETURN}/challenge`, { body: { reason: 'Q1 was 44.0: check the tonnage.' } })).status).toBe(428);
    const challenged = await dmt('POST', `${RETURN}/challenge`, {
      body: { reason: 'Q1 was 44.0: check the tonnage.' },
      headers: { 'if-match': submittedVersion! },
    });
    expect(challenged.status).toBe(200);
    expect(challenged.body.resource.status).toBe('challenged');

    // An approval against the version seen before the challenge is refused.
    const stale = await dmt('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': submittedVersion! } });
    expect(stale.status).toBe(412);
    expect(stale.body).toMatchObject({ currentState: 'challenged' });

    api.clock.set('2026-10-16T09:30:00Z');
    const resubmitted = await lead('POST', `${RETURN}/resubmission`, {
      body: { value: '46.0', commentary: 'Late tonnage from the MRF added.', responseToChallenge: 'Two loads were missing; now included.' },
    });
    expect(resubmitted.status).toBe(200);
    expect(resubmitted.body.resource.currentRating.status).toBe('green');

    api.clock.set('2026-10-17T11:00:00Z');
    const approved = await dmt('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': resubmitted.headers.get('etag')! } });
    expect(approved.status).toBe(200);
    expect(approved.body.resource).toMatchObject({ status: 'approved', approvedBy: 'd.place', approvedValue: '46.0' });

    const scorecard = await dmt('GET', `/scorecards/2026-27-Q2?after=${approved.body.position}`);
    expect(scorecard.status).toBe(200);
    expect(scorecard.body.entries).toHaveLength(1);
    expect(scorecard.body.entries[0]).toMatchObject({ kpiId: 'ENV-01', value: '46.0', status: 'green' });

    // Found wrong later: restated, then approved again; nothing is overwritten.
    api.clock.set('2026-11-02T09:00:00Z');
    const restated = await lead('POST', `${RETURN}/restatement`, { body: { value: '44.0', reason: 'DEFRA validation removed contaminated loads.' } });
    expect(restated.status).toBe(200);
    expect(restated.body.resource.status).toBe('restated');
    api.clock.set('2026-11-03T09:00:00Z');
    const reapproved = await dmt('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': restated.headers.get('etag')! } });
    expect(reapproved.status).toBe(200);

    const now = await api.as(auditor)('GET', `/scorecards/2026-27-Q2?after=${reapproved.body.position}`);
    expect(now.body.entries[0]).toMatchObject({ value: '44.0', status: 'amber' });
    const asCabinetSawIt = await api.as(auditor)('GET', '/scorecards/2026-27-Q2?asAt=2026-10-20T00:00:00Z');
    expect(asCabinetSawIt.body.entries[0]).toMatchObject({ value: '46.0', status: 'green' });
    const changes = await api.as(auditor)('GET', '/scorecards/2026-27-Q2/changes?since=2026-10-20T00:00:00Z');
    expect(changes.body.changes).toHaveLength(1);

    const history = await api.as(auditor)('GET', '/kpis/ENV-01/history');
    expect(history.body.entries.map((e: { kind: string; value: string | null; actor: string }) => [e.kind, e.value, e.actor])).toEqual([
      ['submitted', '41.2', 's.lead'],
      ['challenged', '41.2', 'd.place'],
      ['resubmitted', '46.0', 's.lead'],
      ['approved', '46.0', 'd.place'],
      ['restated', '44.0', 's.lead'],
      ['approved', '44.0', 'd.place'],
    ]);
    const earlier = await api.as(auditor)('GET', '/kpis/ENV-01/history?asAt=2026-10-16T00:00:00Z');
    expect(earlier.body.entries.map((e: { kind: string }) => e.kind)).toEqual(['submitted', 'challenged']);

    const audit = await api.as(auditor)('GET', `${RETURN}/audit`);
    expect(audit.body.entries.map((e: { type: string }) => e.type)).toEqual([
      'ReturnRequested',
      'ReturnSubmitted',
      'ReturnChallenged',
      'ReturnResubmitted',
      'ReturnApproved',
      'ReturnRestated',
      'ReturnApproved',
    ]);
    expect(audit.body.entries[1]).toMatchObject({ actor: 's.lead', recordedAt: '2026-10-10T10:00:00.000Z' });
  });

  it('refuses what the rules forbid, with the right status and nothing written', async () => {
    const before = await api.engine.store.readStream('return-ENV-01-2026-27-Q2');

    const anonymous = await fetch(`${api.baseUrl}${RETURN}`);
    expect(anonymous.status).toBe(401);
    expect((await api.as(auditor)('POST', `${RETURN}/submission`, { body: { value: '1', commentary: 'x' } })).status).toBe(403);
    expect((await api.as(otherLead)('POST', `${RETURN}/restatement`, { body: { value: '45.0', reason: 'x' } })).status).toBe(403);
    expect((await api.as(resourcesDmt)('POST', `${RETURN}/escalation`, { body: { level: 'clt', reason: 'x' } })).status).toBe(403);
    expect((await lead('GET', '/returns/NOPE-1/2026-27-Q2')).status).toBe(404);

    const illegal = await lead('POST', `${RETURN}/submission`, { body: { value: '45.5', commentary: 'again' } });
    expect(illegal.status).toBe(409);
    expect(illegal.body).toMatchObject({ code: 'illegal_transition', currentState: 'approved' });

    const badValue = await lead('POST', `${RETURN}/restatement`, { body: { value: '4.5e1', reason: 'x', extra: true } });
    expect(badValue.status).toBe(400);
    expect(badValue.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['extra', 'value']);

    const malformed = await fetch(`${api.baseUrl}${RETURN}/submission`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.tokenFor(serviceLead)}`, 'content-type': 'application/json' },
      body: '{"value": ',
    });
    expect(malformed.status).toBe(400);

    expect(await api.engine.store.readStream('return-ENV-01-2026-27-Q2')).toEqual(before);
  });

  it('does not let the submitter approve their own figure', async () => {
    // The lead also joins the Place DMT: the directory gives the roles, so the team changes them there.
    const person = await api.as(performanceTeam)('GET', '/people/s.lead');
    const joined = await api.as(performanceTeam)('PATCH', '/people/s.lead', { body: { roles: ['service-lead', 'dmt'] }, headers: { 'if-match': person.headers.get('etag')! } });
    expect(joined.status).toBe(200);
    const selfApprover: TestPrincipal = { id: 's.lead', roles: ['service-lead', 'dmt'], directorate: 'Place' };
    const current = await lead('GET', RETURN);
    const restated = await lead('POST', `${RETURN}/restatement`, {
      body: { value: '45.1', reason: 'Final validated figure.' },
      headers: { 'if-match': current.headers.get('etag')! },
    });
    expect(restated.status).toBe(200);
    const own = await api.as(selfApprover)('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': restated.headers.get('etag')! } });
    expect(own.status).toBe(403);
    expect(own.body.code).toBe('self_approval');
  });
});

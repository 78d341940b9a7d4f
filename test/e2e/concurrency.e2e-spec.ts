import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, openCycle, PRINCIPALS, submitFigure } from '@quarterly/testing/e2e-fixtures';

const TIMETABLE = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const KPI_COUNT = 32;
const kpiIds = Array.from({ length: KPI_COUNT }, (_, i) => `CON-${String(i + 1).padStart(2, '0')}`);
const typesOf = async (api: ApiTestApp, kpiId: string) => (await api.engine.store.readStream(`return-${kpiId}-2026-27-Q2`)).map((e) => e.type);

describe.each(['sqlite', 'postgres'] as const)('concurrent requests (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-05T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    for (const kpiId of kpiIds) await defineKpi(team, kpiId);
    await openCycle(api, team, '2026/27-Q2', TIMETABLE);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it(`accepts ${KPI_COUNT} submissions to different returns at once`, async () => {
    const responses = await Promise.all(kpiIds.map((kpiId, i) => submitFigure(lead, kpiId, '2026/27-Q2', `${40 + (i % 10)}.5`)));
    expect(responses.map((r) => r.status)).toEqual(kpiIds.map(() => 200));
    for (const kpiId of kpiIds) expect([kpiId, await typesOf(api, kpiId)]).toEqual([kpiId, ['ReturnRequested', 'ReturnSubmitted']]);
    // Each answered with its own return's version and a distinct global position.
    expect(new Set(responses.map((r) => r.body.position)).size).toBe(KPI_COUNT);
    expect(responses.every((r) => r.body.version === '1')).toBe(true);
  });

  it('lets exactly one of two approvals against the same version win, recording one ReturnApproved', async () => {
    // Several returns, each raced by two reviewers who saw the same version.
    for (const kpiId of kpiIds.slice(0, 8)) {
      const path = `/returns/${kpiId}/2026-27-Q2/approval`;
      const etag = (await lead('GET', `/returns/${kpiId}/2026-27-Q2`)).headers.get('etag')!;
      const [first, second] = await Promise.all([
        api.as(PRINCIPALS.placeDmt)('POST', path, { body: {}, headers: { 'if-match': etag } }),
        api.as(PRINCIPALS.team)('POST', path, { body: {}, headers: { 'if-match': etag } }),
      ]);
      const statuses = [first.status, second.status].sort();
      expect([kpiId, statuses[0]]).toEqual([kpiId, 200]);
      expect([409, 412]).toContain(statuses[1]);
      const loser = first.status === 200 ? second : first;
      expect(loser.headers.get('content-type')).toContain('application/problem+json');
      expect(loser.body.currentState).toBe('approved');
      const approvals = (await typesOf(api, kpiId)).filter((type) => type === 'ReturnApproved');
      expect([kpiId, approvals.length]).toEqual([kpiId, 1]);
    }
  });

  it('appends one set of events when the same Idempotency-Key arrives twice at once', async () => {
    for (const [index, kpiId] of kpiIds.slice(8, 16).entries()) {
      const path = `/returns/${kpiId}/2026-27-Q2/challenge`;
      const etag = (await lead('GET', `/returns/${kpiId}/2026-27-Q2`)).headers.get('etag')!;
      const key = `challenge-${kpiId}-${index}-0001`;
      const dmt = api.as(PRINCIPALS.placeDmt);
      const send = () => dmt('POST', path, { body: { reason: 'Check the denominator.' }, headers: { 'if-match': etag, 'idempotency-key': key } });
      const [first, second] = await Promise.all([send(), send()]);
      expect([kpiId, first.status, second.status]).toEqual([kpiId, 200, 200]);
      expect(first.body.version).toBe(second.body.version);
      expect(first.body.position).toBe(second.body.position);
      // One answered as the first time, one as a replay (order depends on the race).
      expect([first.body.repeated, second.body.repeated].sort()).toEqual([false, true]);
      expect(await typesOf(api, kpiId)).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnChallenged']);
    }
  });

  it('keeps one set of events when a whole submission is retried concurrently with its key', async () => {
    await openCycle(api, team, '2026/27-Q3', { returnsDue: '2027-01-15', dmtReviewDeadline: '2027-01-22', cltDate: '2027-01-29', publicationDate: '2027-02-12' });
    const responses = await Promise.all(
      kpiIds.slice(0, 4).flatMap((kpiId) =>
        [1, 2, 3].map(() => submitFigure(lead, kpiId, '2026/27-Q3', '46.0', { 'idempotency-key': `q3-submit-${kpiId}` })),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(responses.map(() => 200));
    for (const kpiId of kpiIds.slice(0, 4)) {
      const events = await api.engine.store.readStream(`return-${kpiId}-2026-27-Q3`);
      expect(events.map((e) => e.type)).toEqual(['ReturnRequested', 'ReturnSubmitted']);
    }
    expect(responses.filter((r) => r.body.repeated === false)).toHaveLength(4);
  });
});

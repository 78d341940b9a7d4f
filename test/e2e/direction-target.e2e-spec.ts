import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

// An interim "increase" target rates a figure against the previous quarter's approved one, which
// the submit-figure use case reads from the previous return's stream (not a read model that may lag).
describe.each(['sqlite', 'postgres'] as const)('a direction-only target over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-07-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'DIR-01', {}, { financialYear: '2026-27', policy: { kind: 'direction', direction: 'increase' } });
    await openCycle(api, team, '2026/27-Q1', Q1);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('has no baseline in its first quarter, then rates the next figure against the approved one', async () => {
    const first = expectStatus(await lead('POST', '/returns/DIR-01/2026-27-Q1/submission', { body: { value: '40.0', commentary: 'First quarter.' } }), 200);
    expect(first.body.resource.currentRating).toMatchObject({ status: null, noStatusReason: 'no_baseline' });
    // Approved straight away: the next submission must see it without waiting for any projection.
    expectStatus(await dmt('POST', '/returns/DIR-01/2026-27-Q1/approval', { body: {}, headers: { 'if-match': first.headers.get('etag')! } }), 200);

    api.clock.set('2026-10-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q2', Q2);
    const lower = await lead('POST', '/returns/DIR-01/2026-27-Q2/submission', { body: { value: '39.5', commentary: 'Down a little.' } });
    expect(lower.status).toBe(400);
    expect(lower.body.errors.map((e: { field: string }) => e.field)).toEqual(['offTargetReason', 'routeToGreen']);
    const higher = expectStatus(await lead('POST', '/returns/DIR-01/2026-27-Q2/submission', { body: { value: '41.0', commentary: 'Up.' } }), 200);
    expect(higher.body.resource.currentRating).toMatchObject({ status: 'green', comparedWith: '40.0' });
  });
});

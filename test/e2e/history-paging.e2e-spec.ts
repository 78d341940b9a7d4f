import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';

const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

/**
 * Long histories and audit trails come in pages with a cursor instead of stopping at 10,000 rows;
 * councillors read the history of published periods only.
 */
describe('history and audit pages; councillors read published history', () => {
  let api: ApiTestApp;
  let team: ApiClient;
  let auditor: ApiClient;
  let member: ApiClient;

  async function report(kpiId: string, cycle: string, value: string) {
    const lead = api.as(PRINCIPALS.placeLead);
    const submitted = expectStatus(await lead('POST', `/returns/${kpiId}/${cycle}/submission`, { body: { value, commentary: 'As counted.', offTargetReason: 'Vacancies.', routeToGreen: 'Recruiting.' } }), 200);
    expectStatus(await api.as(PRINCIPALS.placeDmt)('POST', `/returns/${kpiId}/${cycle}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
  }

  beforeAll(async () => {
    api = await startApiTestApp({ now: '2026-06-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    auditor = api.as(PRINCIPALS.auditor);
    member = api.as(PRINCIPALS.member);
    await defineKpi(team, 'ENV-01');
    await openCycle(api, team, '2026/27-Q1', Q1);
    api.clock.set('2026-07-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q1', '44.0');
    const q1 = await team('GET', '/cycles/2026-27-Q1');
    expectStatus(await team('POST', '/cycles/2026-27-Q1/closure', { headers: { 'if-match': q1.headers.get('etag')! } }), 200);
    api.clock.set('2026-10-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q2', '46.0');
    await settle(api);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('pages a KPI audit trail by cursor, with a Link to the next page, and every event exactly once', async () => {
    const whole = expectStatus(await auditor('GET', '/kpis/ENV-01/audit'), 200).body;
    expect(whole.nextCursor).toBeNull();
    expect(whole.entries.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let path: string | null = '/kpis/ENV-01/audit?limit=2';
    let pages = 0;
    while (path) {
      const page = expectStatus(await auditor('GET', path), 200);
      pages += 1;
      expect(page.body.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.entries.map((e: { eventId: string }) => e.eventId));
      const link = page.headers.get('link');
      expect(link).toBe(page.body.nextCursor ? `</kpis/ENV-01/audit?limit=2&cursor=${page.body.nextCursor}>; rel="next"` : null);
      path = page.body.nextCursor ? `/kpis/ENV-01/audit?limit=2&cursor=${page.body.nextCursor}` : null;
    }
    expect(seen).toEqual(whole.entries.map((e: { eventId: string }) => e.eventId));
    // A full last page cannot know it is the last: one more, empty, page says so.
    expect(pages).toBe(Math.ceil(whole.entries.length / 2) + (whole.entries.length % 2 === 0 ? 1 : 0));
  });

  it('pages a value history and a return audit trail the same way; a bad limit or cursor is 400 naming it', async () => {
    const all = expectStatus(await auditor('GET', '/kpis/ENV-01/history'), 200).body.entries;
    const first = expectStatus(await auditor('GET', '/kpis/ENV-01/history?limit=1'), 200).body;
    expect(first.entries).toEqual([all[0]]);
    const second = expectStatus(await auditor('GET', `/kpis/ENV-01/history?limit=3&cursor=${first.nextCursor}`), 200).body;
    expect(second.entries).toEqual(all.slice(1, 4));
    const trail = expectStatus(await auditor('GET', '/returns/ENV-01/2026-27-Q2/audit?limit=1'), 200);
    expect(trail.body.entries).toHaveLength(1);
    expect(trail.body.nextCursor).toBe(trail.body.entries[0].position);
    for (const [query, field] of [['limit=0', 'limit'], ['limit=10001', 'limit'], ['cursor=abc', 'cursor']] as const) {
      const refused = await auditor('GET', `/kpis/ENV-01/audit?${query}`);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain(field);
    }
  });

  it('a councillor reads the history of published periods only', async () => {
    const staffView = expectStatus(await auditor('GET', '/kpis/ENV-01/history'), 200).body.entries;
    expect(new Set(staffView.map((e: { cycleId: string }) => e.cycleId))).toEqual(new Set(['2026/27-Q1', '2026/27-Q2']));
    const memberView = expectStatus(await member('GET', '/kpis/ENV-01/history'), 200).body.entries;
    expect(memberView.length).toBeGreaterThan(0);
    expect(memberView).toEqual(staffView.filter((e: { cycleId: string }) => e.cycleId === '2026/27-Q1'));
    expect(expectStatus(await member('GET', '/returns/ENV-01/2026-27-Q1/history'), 200).body.entries).toEqual(memberView);
    expect((await member('GET', '/returns/ENV-01/2026-27-Q2/history')).status).toBe(403);
    expect((await member('GET', '/kpis/ENV-01/audit')).status).toBe(403);
  });
});

import type { ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
  { personId: 's.lead', name: 'Sam Lead', email: 'sam.lead@council.example', roles: ['service-lead'] },
] as const;

/**
 * The queue dashboard from the pages: the status board links to it, and a performance-team member
 * signed in to the pages follows the link straight in with their session (no token to paste);
 * another signed-in person is refused, and so is the session of someone deactivated since.
 */
describe('the queue dashboard for a person signed in to the pages', () => {
  let smtp: SmtpTestServer;
  let journey: WebJourney;
  let api: ApiTestApp;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    journey = await WebJourney.start({
      accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })),
      now: '2026-06-01T09:00:00Z',
      sessionSecret: 'queue-dashboard-journey-session-secret-0123456789',
      reminders: { smtpUrl: smtp.url },
    });
    api = journey.api;
    const team = api.as(PRINCIPALS.team);
    for (const { personId, ...p } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...p } }), 201);
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    expectStatus(await openCycle(api, team, '2026/27-Q1'), 201);
    await settle(api);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
    await smtp?.stop();
  });

  it('lets the performance team in from the status board, with their session', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/status-board/2026-27-Q1');
    await page.getByRole('link', { name: 'queue dashboard' }).click();
    await page.waitForURL(`${api.baseUrl}/admin/queues`);
    await page.getByText('quarterly-timers').first().waitFor({ timeout: 20_000 });
    await page.getByText('quarterly-mail').first().waitFor();
  });

  it('refuses a signed-in person outside the performance team, and a session without a person', async () => {
    const page = await journey.signedIn('sam.lead@council.example', '/app/your-returns');
    const refused = await page.context().request.get(`${api.baseUrl}/admin/queues`);
    expect(refused.status()).toBe(403);
    await expect(refused.json()).resolves.toMatchObject({ code: 'forbidden' });

    const anonymous = await fetch(`${api.baseUrl}/admin/queues`, { headers: { cookie: 'quarterly-session=not-a-session' } });
    expect(anonymous.status).toBe(401);
  });

  it('refuses the session of a performance-team member deactivated since they signed in', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis');
    expect((await page.context().request.get(`${api.baseUrl}/admin/queues`)).status()).toBe(200);
    expectStatus(await api.as(PRINCIPALS.team)('POST', '/people/p.perf/deactivation', { body: { reason: 'Left the council.' } }), 200);
    await settle(api);
    const refused = await page.context().request.get(`${api.baseUrl}/admin/queues`);
    expect(refused.status()).toBe(403);
  });
});

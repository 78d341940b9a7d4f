import type { Browser } from 'playwright-core';
import { startApiTestApp, type ApiClient, type ApiTestApp, type TestPrincipal } from '@quarterly/testing/api-test-app';
import { launchHeadlessChromium } from '@quarterly/testing/headless-browser';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';

const team: TestPrincipal = { id: 'p.team', roles: ['performance-team'] };
const lead: TestPrincipal = { id: 's.lead', roles: ['service-lead'], directorate: 'Place' };
const director: TestPrincipal = { id: 'p.director', roles: ['dmt'], directorate: 'Place' };

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The worker embedded in the API (QUARTERLY_WORKER=embedded) on a real Redis: opening a cycle
 * schedules timers from the events, a timer already due fires and records the reminder in the
 * return's stream, and the performance team can watch the queues in Bull Board.
 */
describe('reminders inside the API process, and the queue dashboard', () => {
  let smtp: SmtpTestServer;
  let api: ApiTestApp;
  let browser: Browser;
  let asTeam: ApiClient;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    // Friday 9 October, 10:00 UTC: the reminder 3 working days before the deadline (09:00 BST) is due.
    api = await startApiTestApp({ now: '2026-10-09T10:00:00Z', reminders: { smtpUrl: smtp.url } });
    browser = await launchHeadlessChromium();
    asTeam = api.as(team);
    const kpi = await asTeam('POST', '/kpis', {
      body: {
        kpiId: 'ENV-02', title: 'Fly-tipping incidents cleared within 2 working days', definition: 'Cleared within 2 working days / reported.',
        directorate: 'Place', serviceArea: 'Street Scene', planOutcome: '1.2.1 Keep our city clean', unit: 'percentage', decimalPlaces: 1,
        polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period', dataSource: 'Street Scene system', limitations: '',
        benchmarkSources: [], labels: 'green_amber_red', owner: 's.lead', keyContacts: [],
      },
    });
    expect(kpi.status).toBe(201);
    // People after the KPI: a person's directorate must be one the register holds.
    expect((await asTeam('POST', '/people', { body: { personId: 's.lead', name: 'Sam Lead', email: 'sam.lead@council.example', roles: ['service-lead'], directorate: 'Place' } })).status).toBe(201);
    expect((await asTeam('POST', '/people', { body: { personId: 'p.director', name: 'Pat Director', email: 'pat.director@council.example', roles: ['dmt'], directorate: 'Place' } })).status).toBe(201);
    expect((await asTeam('POST', '/people', { body: { personId: 'c.exec', name: 'Chris Exec', email: 'chris.exec@council.example', roles: ['clt'] } })).status).toBe(201);
    const opened = await asTeam('POST', '/cycles', {
      body: { cycleId: '2026/27-Q2', timetable: { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' } },
    });
    expect(opened.status).toBe(201);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await smtp?.stop();
  });

  it('reports Redis and SMTP in /health', async () => {
    const health = (await fetch(`${api.baseUrl}/health`).then((response) => response.json())) as { checks: unknown };
    expect(health.checks).toMatchObject({ redis: { status: 'up' }, smtp: { status: 'up' } });
  });

  it('fires the reminder that is already due and records who was told in the return', async () => {
    const reminded = await eventually(async () => {
      const events = await api.engine.store.readStream('return-ENV-02-2026-27-Q2');
      return events.find((event) => event.type === 'ReturnReminderSent');
    }, 'the reminder event');
    expect(reminded.data).toMatchObject({ rule: 'before_deadline', recipients: ['s.lead'], dueDate: '2026-10-14' });
    expect(reminded.metadata.actor).toBe('system:reminders');

    // Submitting makes the remaining reminders moot: the return is no longer owed.
    const submitted = await api.as(lead)('POST', '/returns/ENV-02/2026-27-Q2/submission', { body: { value: '96.5', commentary: 'On track.' } });
    expect(submitted.status).toBe(200);
  });

  it('records who is told of an escalation a DMT member makes, and mails exactly them', async () => {
    const escalated = await api.as(director)('POST', '/returns/ENV-02/2026-27-Q2/escalation', {
      body: { level: 'clt', reason: 'Clearance times are slipping in the north of the city.' },
    });
    expect(escalated.status).toBe(200);
    const events = await api.engine.store.readStream('return-ENV-02-2026-27-Q2');
    const recorded = events.find((event) => event.type === 'ReturnEscalated');
    expect(recorded?.data).toEqual({
      escalatedBy: 'p.director',
      level: 'clt',
      reason: 'Clearance times are slipping in the north of the city.',
      notified: { to: ['s.lead'], cc: ['p.director', 'c.exec'] },
    });

    const mail = await eventually(async () => smtp.mails.find((m) => m.subject.startsWith('Escalated to CLT')), 'the escalation mail');
    expect(mail.subject).toBe('Escalated to CLT: ENV-02 Fly-tipping incidents cleared within 2 working days');
    expect(mail.to).toEqual(['sam.lead@council.example']);
    expect(mail.cc).toEqual(['pat.director@council.example', 'chris.exec@council.example']);
    expect(mail.text).toContain('Clearance times are slipping');
  });

  it('shows the queues to the performance team only, in a real browser', async () => {
    const anonymous = await fetch(`${api.baseUrl}/admin/queues`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('x-correlation-id')).toBeTruthy();
    const leadToken = await api.tokenFor(lead);
    expect((await fetch(`${api.baseUrl}/admin/queues`, { headers: { authorization: `Bearer ${leadToken}` } })).status).toBe(403);

    const page = await browser.newPage();
    await page.goto(`${api.baseUrl}/admin/queues?access_token=${await api.tokenFor(team)}`);
    expect(page.url()).not.toContain('access_token');
    await page.getByText('quarterly-timers').first().waitFor({ timeout: 20_000 });
    await page.getByText('quarterly-mail').first().waitFor();
  });
});

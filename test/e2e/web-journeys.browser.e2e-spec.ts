import type { Page } from 'playwright-core';
import type { ApiClient, ApiTestApp, TestPrincipal } from '@quarterly/testing/api-test-app';
import { expectStatus, settle } from '@quarterly/testing/e2e-fixtures';
import type { RunningIdentityProvider } from '@quarterly/testing/identity-provider';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';
import { signInAtProvider, WebJourney } from '@quarterly/testing/web-journey';

const team: TestPrincipal = { id: 'p.team', roles: ['performance-team'] };
const PEOPLE = [
  { personId: 's.lead', name: 'Sam Lead', email: 'sam.lead@council.example', roles: ['service-lead'], directorate: 'Place' },
  { personId: 'd.place', name: 'Dana Place', email: 'dana.place@council.example', roles: ['dmt'], directorate: 'Place' },
  { personId: 'e.place', name: 'Eli Place', email: 'eli.place@council.example', roles: ['dmt'], directorate: 'Place' },
  { personId: 'd.people', name: 'Dev People', email: 'dev.people@council.example', roles: ['dmt'], directorate: 'People' },
  { personId: 'c.exec', name: 'Chris Exec', email: 'chris.exec@council.example', roles: ['clt'] },
  { personId: 'l.leaver', name: 'Lee Leaver', email: 'lee.leaver@council.example', roles: ['service-lead'], directorate: 'Place' },
  { personId: 'a.audit', name: 'Ava Audit', email: 'ava.audit@council.example', roles: ['auditor'] },
  { personId: 'cllr.reed', name: 'Cllr Rowan Reed', email: 'rowan.reed@council.example', roles: ['member'] },
  { personId: 'p.lead', name: 'Pat Team', email: 'pat.team@council.example', roles: ['performance-team'] },
] as const;
const RETURN_PAGE = '/app/returns/ENV-02/2026-27-Q2';

function kpi(kpiId: string, title: string): Record<string, unknown> {
  return {
    kpiId, title, definition: `${title}: cleared within 2 working days / reported.`, directorate: 'Place', serviceArea: 'Street Scene',
    planOutcome: '1.2.1 Keep our city clean', unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly',
    measureType: 'in_period', dataSource: 'Street Scene system', limitations: '', benchmarkSources: [], labels: 'green_amber_red', owner: 's.lead', keyContacts: [],
  };
}

async function eventually<T>(probe: () => Promise<T | undefined> | T | undefined, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The return workflow in a real browser (Debian's Chromium) against the real API on SQLite, the
 * reminder worker on Redis, an SMTP sink, and the demo OpenID provider in its own process: the
 * link in a reminder e-mail, sign-in, submission, challenge, resubmission, approval, a stale
 * approval, access rules, CSRF, a deactivated person, and CLT's escalations — with axe-core on
 * every page of Quarterly that the journeys visit.
 */
describe('the return workflow in the browser', () => {
  let smtp: SmtpTestServer;
  let journey: WebJourney;
  let api: ApiTestApp;
  let idp: RunningIdentityProvider;
  let asTeam: ApiClient;

  const open = (options: { javaScriptEnabled?: boolean } = {}) => journey.open(options);
  const signedIn = (email: string, path: string, options: { javaScriptEnabled?: boolean } = {}) => journey.signedIn(email, path, options);
  const audit = (page: Page) => journey.audit(page);

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    // Friday 9 October 2026, 10:00 UTC: the reminder three working days before the deadline is due.
    journey = await WebJourney.start({
      accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })),
      now: '2026-10-09T10:00:00Z',
      sessionSecret: 'browser-journey-session-secret-0123456789',
      reminders: { smtpUrl: smtp.url },
    });
    api = journey.api;
    idp = journey.idp;
    asTeam = api.as(team);
    // The register first: a person's directorate must be one the register's KPIs belong to.
    for (const [kpiId, title] of [['ENV-02', 'Fly-tipping incidents cleared within 2 working days'], ['ENV-03', 'Graffiti removed within 5 working days']] as const) {
      expectStatus(await asTeam('POST', '/kpis', { body: kpi(kpiId, title) }), 201);
      expectStatus(await asTeam('PUT', `/kpis/${kpiId}/targets/2026-27`, { body: { policy: { kind: 'thresholds', green: '95.0', amber: '90.0' } } }), 200);
    }
    // Another directorate's KPI, so that its DMT (d.people) has a directorate the register holds.
    const people = { ...kpi('ASC-01', 'Reviews of care plans on time'), directorate: 'People', serviceArea: 'Adult Social Care', owner: 'd.people' };
    expectStatus(await asTeam('POST', '/kpis', { body: people }), 201);
    for (const { personId, ...person } of PEOPLE) expectStatus(await asTeam('POST', '/people', { body: { personId, ...person } }), 201);
    expectStatus(
      await asTeam('POST', '/cycles', { body: { cycleId: '2026/27-Q2', timetable: { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' } } }),
      201,
    );
    await settle(api);
  });

  afterAll(async () => {
    await journey?.close();
    await smtp?.stop();
  });

  it('a service lead follows the reminder e-mail, signs in without JavaScript, and is told an off-target figure needs a reason', async () => {
    const reminder = await eventually(() => smtp.mails.find((mail) => mail.to.includes('sam.lead@council.example') && mail.text.includes('ENV-02')), 'the reminder e-mail');
    const link = /http:\/\/127\.0\.0\.1:\d+\/app\/returns\/ENV-02\/2026-27-Q2/.exec(reminder.text)?.[0];
    expect(link).toBe(`${api.baseUrl}${RETURN_PAGE}`);

    const page = await open({ javaScriptEnabled: false });
    await page.goto(link!);
    await signInAtProvider(page, 'sam.lead@council.example');
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toContain('ENV-02 Fly-tipping incidents cleared within 2 working days');
    expect(await page.getByLabel('Why is it off target?').count()).toBe(0);
    // One decimal place, in the singular.
    await expect(page.locator('.govuk-summary-list__row', { has: page.locator('dt', { hasText: /^\s*Unit\s*$/ }) }).locator('dd').textContent()).resolves.toMatch(/\(1 decimal place\)\s*$/);
    await audit(page);

    // Sent blank: each empty field is named, the figure first.
    await page.getByRole('button', { name: 'Send figure' }).click();
    await expect(page.locator('.govuk-error-summary a').allTextContents()).resolves.toEqual(['Enter the figure', 'Enter commentary: what the figure shows and why']);

    // An off-target figure without its commentary: everything it still needs is asked for at
    // once, the reason and the route to green with the commentary.
    await page.getByLabel(/Figure for the quarter only/).fill('88.4');
    await page.getByRole('button', { name: 'Send figure' }).click();
    const summaryLinks = await page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
    expect(summaryLinks).toEqual(['#commentary', '#offTargetReason', '#routeToGreen']);
    await expect(page.getByLabel('Why is it off target?').isVisible()).resolves.toBe(true);
    await audit(page);

    await page.getByLabel('Commentary').fill('Two crews were off sick in August.');
    await page.getByLabel('Why is it off target?').fill('');
    await page.getByRole('button', { name: 'Send figure' }).click();
    // Judged by the server with the KPI's policy: red, so the reason and route to green are asked for.
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('The figure is off target: say why');
    expect(await page.title()).toMatch(/^Error: /);
    await expect(page.getByLabel('Why is it off target?').isVisible()).resolves.toBe(true);
    await expect(page.getByLabel(/Figure for the quarter only/).inputValue()).resolves.toBe('88.4');
    await audit(page);

    await page.getByLabel('Why is it off target?').fill('Sickness absence in the crews.');
    await page.getByLabel(/Route to green/).fill('Agency cover from September.');
    await page.getByRole('button', { name: 'Send figure' }).click();
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=submitted`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Figure sent');
    // What happens next, as the reminders do it (no e-mail is promised that is not sent).
    await expect(page.locator('main').textContent()).resolves.toContain('If they challenge it, it comes back to Your returns with their reason');
    // The figure sent, as the pages write it.
    await expect(page.locator('.govuk-panel__body').textContent()).resolves.toMatch(/Figure: 88\.4/);
    await audit(page);

    await page.goto(`${api.baseUrl}/app/your-returns`);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Waiting for approval \(1\)[\s\S]*ENV-02/);
    await expect(page.locator('main').textContent()).resolves.toMatch(/Due \(1\)[\s\S]*ENV-03/);
    await audit(page);
  });

  it('a DMT member challenges the figure using the keyboard only', async () => {
    const page = await signedIn('dana.place@council.example', '/app/to-review');
    await expect(page.locator('main').textContent()).resolves.toContain('ENV-02 Fly-tipping');
    await audit(page);
    await page.getByRole('link', { name: /ENV-02/ }).click();
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}`);
    await audit(page);
    for (let presses = 0; presses < 80; presses += 1) {
      if ((await page.evaluate('document.activeElement && document.activeElement.id')) === 'challengeReason') break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('challengeReason');
    await page.keyboard.type('August is usually the best month: please check the crew returns.');
    await page.keyboard.press('Tab');
    await expect(page.evaluate('document.activeElement && document.activeElement.textContent.trim()')).resolves.toBe('Challenge the figure');
    await page.keyboard.press('Enter');
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=challenged`);
    // What happens next, as the reminders do it (reminders.int-spec.ts: the owner and key contacts
    // get the reason in their digest, and are chased until they answer).
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Figure challenged');
    await expect(page.locator('main').textContent()).resolves.toContain("The KPI's owner and key contacts are told by e-mail, with your reason");
    await audit(page);
  });

  it('the lead answers the challenge; a second DMT approves while the first looks at an old version, who then sees what changed', async () => {
    const lead = await signedIn('sam.lead@council.example', RETURN_PAGE);
    await expect(lead.locator('.govuk-inset-text').textContent()).resolves.toContain('August is usually the best month');
    await lead.getByLabel(/Figure for the quarter only/).fill('96.2');
    await lead.getByLabel('Commentary').fill('Crew returns re-checked: two rounds had not been logged.');
    await lead.getByLabel('Your response to the challenge').fill('Corrected: 214 clearances added.');
    await lead.getByRole('button', { name: 'Send revised figure' }).click();
    await lead.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=resubmitted`);

    const first = await signedIn('dana.place@council.example', RETURN_PAGE);
    const second = await signedIn('eli.place@council.example', RETURN_PAGE);
    await second.getByRole('button', { name: 'Approve the figure' }).click();
    await second.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=approved`);

    await first.getByRole('button', { name: 'Approve the figure' }).click();
    await expect(first.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('This return changed while you were looking at it');
    await expect(first.locator('main').textContent()).resolves.toContain('Eli Place approved the figure');
    await expect(first.locator('#stage-now').textContent()).resolves.toBe('The return has been approved.');
    await audit(first);
    const events = await api.engine.store.readStream('return-ENV-02-2026-27-Q2');
    expect(events.filter((e) => e.type === 'ReturnApproved')).toHaveLength(1);
  });

  it('a DMT of another directorate gets 403 for the page and for a form post', async () => {
    const page = await signedIn('dev.people@council.example', '/app/to-review');
    const csrf = await page.locator('input[name=_csrf]').first().inputValue();
    const view = await page.goto(`${api.baseUrl}/app/returns/ENV-03/2026-27-Q2`);
    expect(view?.status()).toBe(403);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You cannot see this page');
    await audit(page);
    const post = await page.request.post(`${api.baseUrl}/app/returns/ENV-03/2026-27-Q2/escalation`, { form: { _csrf: csrf, version: '0', reason: 'Not mine.' } });
    expect(post.status()).toBe(403);
    expect((await api.engine.store.readStream('return-ENV-03-2026-27-Q2')).some((e) => e.type === 'ReturnEscalated')).toBe(false);
  });

  it('refuses a form post without the CSRF token, and writes nothing', async () => {
    const page = await signedIn('dana.place@council.example', '/app/returns/ENV-03/2026-27-Q2');
    const before = await api.engine.store.readStream('return-ENV-03-2026-27-Q2');
    const post = await page.request.post(`${api.baseUrl}/app/returns/ENV-03/2026-27-Q2/escalation`, { form: { version: String(before.length - 1), reason: 'Forged.' } });
    expect(post.status()).toBe(403);
    expect(await post.text()).toContain('This form has expired');
    expect(await api.engine.store.readStream('return-ENV-03-2026-27-Q2')).toEqual(before);
  });

  it('a DMT escalates to CLT, who sees the escalation with its history of reminders', async () => {
    const dmt = await signedIn('dana.place@council.example', '/app/returns/ENV-03/2026-27-Q2');
    await dmt.getByText('Escalate a concern to the corporate leadership team').click();
    await dmt.getByLabel('What is the concern for the corporate leadership team?').fill('No figure and no reply to the reminder.');
    await dmt.getByRole('button', { name: 'Escalate to CLT' }).click();
    await dmt.waitForURL(`${api.baseUrl}/app/returns/ENV-03/2026-27-Q2/confirmation?done=escalated`);

    const clt = await signedIn('chris.exec@council.example', '/app/escalations');
    const main = (await clt.locator('main').textContent()) ?? '';
    expect(main).toContain('ENV-03 Graffiti removed within 5 working days');
    expect(main).toContain('Dana Place escalated the return to the corporate leadership team');
    expect(main).toContain('No figure and no reply to the reminder.');
    expect(main).toMatch(/Reminder sent to Sam Lead/);
    await audit(clt);
  });

  it('the lead reports that no figure is available, with a reason', async () => {
    const page = await signedIn('sam.lead@council.example', '/app/returns/ENV-03/2026-27-Q2');
    await page.getByText('The figure is not available this quarter').click();
    await page.getByRole('button', { name: 'Report that no figure is available' }).click();
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Enter why the figure is not available');
    await audit(page);
    await page.getByLabel('Why is no figure available?').fill('The graffiti contractor has not sent its September log.');
    await page.getByRole('button', { name: 'Report that no figure is available' }).click();
    await page.waitForURL(`${api.baseUrl}/app/returns/ENV-03/2026-27-Q2/confirmation?done=not-available`);
    const events = await api.engine.store.readStream('return-ENV-03-2026-27-Q2');
    expect(events.at(-1)).toMatchObject({ type: 'ReturnFigureMarkedNotAvailable', data: { reason: 'The graffiti contractor has not sent its September log.', markedBy: 's.lead' } });
  });

  it.each([
    ['an auditor', 'ava.audit@council.example', '/app/kpis', 'KPI register'],
    ['a councillor', 'rowan.reed@council.example', '/app/scorecards', 'Scorecards'],
    ['the performance team', 'pat.team@council.example', '/app/status-board', 'Status board'],
    ['a DMT member', 'dana.place@council.example', '/app/to-review', 'To review'],
  ])('%s signing in at the front page starts where their work is', async (_who, email, start, heading) => {
    const page = await open();
    await page.goto(`${api.baseUrl}/app`);
    await signInAtProvider(page, email);
    await page.waitForURL(`${api.baseUrl}${start}`);
    await expect(page.getByRole('heading', { level: 1 }).first().textContent()).resolves.toContain(heading);
    await page.close();
  });

  it("the performance team sees the open quarter's progress and timetable on the status board", async () => {
    const page = await signedIn('pat.team@council.example', '/app/status-board');
    const card = (await page.locator('.govuk-summary-card').textContent())?.replace(/\s+/g, ' ') ?? '';
    expect(card).toContain('Status board 2026/27-Q2 (open)');
    expect(card).toMatch(/3 returns: \d approved, \d waiting for approval, \d challenged, \d figures? needed/);
    // Overdue is a clause of its own, never a bracket after the figures needed ("5 figures needed (7 overdue)").
    expect(card).toMatch(/figures? needed(; \d+ returns? overdue)?(; \d+ escalated)?\. /);
    expect(card).toContain('Returns due 14 October 2026; DMT review by 21 October 2026; publication 11 November 2026.');
    await audit(page);
  });

  it('shows a wrong address under /app as the "Page not found" page, not the JSON API’s problem document', async () => {
    const page = await signedIn('sam.lead@council.example', '/app/your-returns');
    for (const [path, aboutReturns] of [
      ['/app/nope', false],
      ['/app/returns/ENV-03/2026-27-Q9', true], // a quarter that cannot exist
      ['/app/scorecards/2026-27-Q7', false],
    ] as const) {
      const response = await page.goto(`${api.baseUrl}${path}`);
      expect([path, response?.status()]).toEqual([path, 404]);
      await expect(page.locator('h1').textContent()).resolves.toBe('Page not found');
      expect(await page.title()).toMatch(/^Page not found/);
      await expect(page.getByText('If you followed a link from an e-mail').count()).resolves.toBe(aboutReturns ? 1 : 0);
      await audit(page);
    }
    // Programs keep the API's problem documents.
    const problem = await fetch(`${api.baseUrl}/nope`);
    expect(problem.status).toBe(404);
    expect(problem.headers.get('content-type')).toContain('application/problem+json');
  });

  it('a deactivated person cannot sign in, and their bearer token is refused by the JSON API', async () => {
    const token = await api.tokenFor({ id: 'l.leaver', roles: ['service-lead'], directorate: 'Place' });
    const before = await fetch(`${api.baseUrl}/kpis`, { headers: { authorization: `Bearer ${token}` } });
    expect(before.status).toBe(200);
    expectStatus(await asTeam('POST', '/people/l.leaver/deactivation', { body: { reason: 'Left the council.' } }), 200);

    const page = await open();
    await page.goto(`${api.baseUrl}/app/your-returns`);
    await signInAtProvider(page, 'lee.leaver@council.example');
    await page.waitForURL(/\/app\/auth\/callback/);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Your access to Quarterly has been removed');
    await audit(page);
    const after = await fetch(`${api.baseUrl}/kpis`, { headers: { authorization: `Bearer ${token}` } });
    expect(after.status).toBe(403);
  });

  it('signs out here and at the identity provider, after which a page asks for sign-in again', async () => {
    const page = await signedIn('sam.lead@council.example', '/app/your-returns');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(new RegExp(`^${idp.issuer}/`));
    await page.getByRole('button', { name: 'Yes, sign me out' }).click();
    await page.waitForURL(`${api.baseUrl}/app/signed-out`);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You have signed out');
    await audit(page);
    await page.goto(`${api.baseUrl}/app/your-returns`);
    // The provider's session ended too: it asks who is signing in.
    await page.waitForURL(/\/interaction\//);
  });

  it('found no accessibility violations on any page visited', () => {
    expect(journey.audited).toEqual(
      new Set(['/app/returns/ENV-02/2026-27-Q2', '/app/returns/ENV-02/2026-27-Q2/confirmation', '/app/your-returns', '/app/to-review', '/app/returns/ENV-02/2026-27-Q2/approval', '/app/returns/ENV-03/2026-27-Q2', '/app/escalations', '/app/auth/callback', '/app/returns/ENV-02/2026-27-Q2/submission', '/app/signed-out', '/app/returns/ENV-03/2026-27-Q2/not-available', '/app/status-board', '/app/nope', '/app/returns/ENV-03/2026-27-Q9', '/app/scorecards/2026-27-Q7']),
    );
    expect(journey.violations).toEqual([]);
  });
});

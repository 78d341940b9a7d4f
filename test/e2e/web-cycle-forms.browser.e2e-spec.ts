import type { Page, Response as PageResponse } from 'playwright-core';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
] as const;
const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };

const NOW = '2026-06-01T09:00:00Z';

/**
 * The performance team's cycle forms in a real browser, signed in through the loopback OpenID
 * provider: open a cycle (a refused quarter and a refused policy write nothing), extend its
 * returns deadline (every open return's, then one return's), close and publish it; a stale form
 * is refused; other staff get 403. axe-core checks every page visited.
 */
describe('the cycle forms in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let team: ApiClient;

  const audit = (page: Page) => journey.audit(page);
  const signedIn = (email: string, path: string, options: { javaScriptEnabled?: boolean } = {}) => journey.signedIn(email, path, options);
  /** Clicks a form's button and answers the response to its POST (the page shown after it). */
  async function submit(page: Page, button: string): Promise<PageResponse> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${api.baseUrl}/app/`) && !r.url().includes('/sign-out')),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }
  const summary = (page: Page) => page.locator('.govuk-error-summary').textContent();
  const cycleIds = async () => ((await team('GET', '/cycles')).body as { cycleId: string }[]).map((c) => c.cycleId).sort();

  beforeAll(async () => {
    journey = await WebJourney.start({ accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })), now: NOW, sessionSecret: 'cycle-forms-journey-session-secret-0123456789' });
    api = journey.api;
    team = api.as(PRINCIPALS.team);
    for (const { personId, ...person } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...person } }), 201);
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    await defineKpi(team, 'ENV-02', { title: 'Fly-tipping cleared within 2 working days' });
    await openCycle(api, team, '2026/27-Q1', Q1);
    api.clock.set('2026-10-01T09:00:00Z');
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  it('the performance team opens a cycle, after refusals that write nothing', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/status-board');
    await audit(page);
    await page.getByRole('button', { name: 'Open a cycle' }).click();
    await page.waitForURL(`${api.baseUrl}/app/cycles/new`);
    // The council's default reminder policy is filled in.
    await expect(page.getByLabel('Escalate an overdue return to its DMT after').inputValue()).resolves.toBe('3');
    await expect(page.getByLabel('Remind owners this many working days before the due date').inputValue()).resolves.toBe('3');
    await audit(page);

    let response = await submit(page, 'Open the cycle');
    expect(response.status()).toBe(400);
    await expect(page.title()).resolves.toBe('Error: Open a reporting cycle – Quarterly');
    await expect(summary(page)).resolves.toContain('Enter the quarter, for example 2026/27-Q3');
    await expect(page.locator('#cycleId-error').textContent()).resolves.toContain('Enter the quarter, for example 2026/27-Q3');
    await audit(page);

    // A quarter already open: 409, shown as an error summary linked to the field; nothing written.
    const q1Before = (await team('GET', '/cycles/2026-27-Q1')).headers.get('etag');
    await page.getByLabel('Quarter').fill('2026/27-Q1');
    response = await submit(page, 'Open the cycle');
    expect(response.status()).toBe(409);
    await expect(summary(page)).resolves.toContain('A cycle for 2026/27-Q1 has already been opened.');
    await expect(page.locator('.govuk-error-summary a').getAttribute('href')).resolves.toBe('#cycleId');
    expect((await team('GET', '/cycles/2026-27-Q1')).headers.get('etag')).toBe(q1Before);
    await expect(cycleIds()).resolves.toEqual(['2026/27-Q1']);

    // The use case's own policy rule (CLT after the DMT), in plain English; nothing written.
    await page.getByLabel('Quarter').fill('2026/27-Q2');
    await page.getByLabel('Day', { exact: true }).fill('14');
    await page.getByLabel('Month', { exact: true }).fill('10');
    await page.getByLabel('Year', { exact: true }).fill('2026');
    await page.getByLabel('Escalate an overdue return to its DMT after').fill('5');
    await page.getByLabel('Escalate an overdue return to CLT after').fill('4');
    response = await submit(page, 'Open the cycle');
    expect(response.status()).toBe(400);
    await expect(summary(page)).resolves.toContain('Escalate to CLT later than to the DMT');
    await expect(page.locator('#escalateToCltAfterWorkingDays-error').textContent()).resolves.toContain('Escalate to CLT later than to the DMT');
    // What was entered is kept.
    await expect(page.getByLabel('Quarter').inputValue()).resolves.toBe('2026/27-Q2');
    await expect(page.getByLabel('Day', { exact: true }).inputValue()).resolves.toBe('14');
    await audit(page);
    expectStatus(await team('GET', '/cycles/2026-27-Q2'), 404);

    await page.getByLabel('Escalate an overdue return to CLT after').fill('10');
    response = await submit(page, 'Open the cycle');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q2/confirmation?done=opened`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Cycle 2026/27-Q2 opened');
    await expect(page.locator('#timetable').textContent()).resolves.toMatch(/Returns due\s*14 October 2026\s*DMT review deadline\s*21 October 2026/);
    await audit(page);

    const cycle = expectStatus(await team('GET', '/cycles/2026-27-Q2'), 200).body as { status: string; timetable: Record<string, string>; requestedReturns: unknown[] };
    expect(cycle.status).toBe('open');
    expect(cycle.timetable).toEqual({ returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' });
    expect(cycle.requestedReturns).toHaveLength(2);
    const trail = expectStatus(await team('GET', '/cycles/2026-27-Q2/audit'), 200).body as { entries: { eventType?: string; type?: string; data?: Record<string, unknown> }[] };
    const opened = trail.entries.find((e) => (e.eventType ?? e.type) === 'CycleOpened');
    // Only what differs from the default is recorded as the cycle's own policy.
    expect(opened?.data?.['policy']).toEqual({ escalateToDmtAfterWorkingDays: 5, escalateToCltAfterWorkingDays: 10 });
    await expect(cycleIds()).resolves.toEqual(['2026/27-Q1', '2026/27-Q2']);
  });

  it('the performance team extends the returns deadline of every open return', async () => {
    await settle(api);
    const page = await signedIn('pat.performance@council.example', '/app/status-board/2026-27-Q2');
    await page.getByRole('link', { name: 'Extend a deadline of 2026/27-Q2' }).click();
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q2/deadline-extension`);
    await expect(page.locator('main').textContent()).resolves.toContain('Now 14 October 2026');
    await audit(page);

    // Earlier than the current date: refused by the use case, in words, nothing written.
    const before = (await team('GET', '/cycles/2026-27-Q2')).headers.get('etag');
    await page.getByLabel('Returns due date').check();
    await page.getByLabel('Day', { exact: true }).fill('10');
    await page.getByLabel('Month', { exact: true }).fill('10');
    await page.getByLabel('Year', { exact: true }).fill('2026');
    await page.getByLabel('Why does it move?').fill('System outage in the first week of October.');
    let response = await submit(page, 'Extend the deadline');
    expect(response.status()).toBe(400);
    await expect(summary(page)).resolves.toContain('The new date must be after the current returns due date, 14 October 2026');
    await expect(page.locator('.govuk-error-summary a').getAttribute('href')).resolves.toBe('#to-day');
    expect((await team('GET', '/cycles/2026-27-Q2')).headers.get('etag')).toBe(before);
    await audit(page);

    await page.getByLabel('Day', { exact: true }).fill('16');
    response = await submit(page, 'Extend the deadline');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q2/confirmation?done=extended`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Deadline extended');
    await expect(page.locator('#timetable').textContent()).resolves.toMatch(/Returns due\s*16 October 2026/);
    await audit(page);
    await settle(api);
    const ret = expectStatus(await team('GET', '/returns/ENV-01/2026-27-Q2'), 200).body as { dueDate?: string; request?: { dueDate?: string } };
    expect(ret.dueDate ?? ret.request?.dueDate).toBe('2026-10-16');
  });

  it('the performance team extends one return’s due date, from its row on the status board', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/status-board/2026-27-Q2');
    await page.getByRole('link', { name: 'Extend the due date of ENV-02' }).click();
    await page.waitForURL(`${api.baseUrl}/app/returns/ENV-02/2026-27-Q2/deadline-extension`);
    await expect(page.locator('main').textContent()).resolves.toContain('It is due 16 October 2026.');
    await audit(page);

    // Not later than the current due date: refused by the domain, on the date field; nothing written.
    const before = (await team('GET', '/returns/ENV-02/2026-27-Q2')).headers.get('etag');
    await page.getByLabel('Day', { exact: true }).fill('15');
    await page.getByLabel('Month', { exact: true }).fill('10');
    await page.getByLabel('Year', { exact: true }).fill('2026');
    await page.getByLabel('Why does it move?').fill('Data owner on leave until the 19th.');
    let response = await submit(page, 'Extend the due date');
    expect(response.status()).toBe(400);
    await expect(page.locator('#to-error').textContent()).resolves.toContain('The new due date must be after the current one, 16 October 2026');
    await expect(page.locator('.govuk-error-summary a').getAttribute('href')).resolves.toBe('#to-day');
    expect((await team('GET', '/returns/ENV-02/2026-27-Q2')).headers.get('etag')).toBe(before);
    await audit(page);

    await page.getByLabel('Day', { exact: true }).fill('20');
    response = await submit(page, 'Extend the due date');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/returns/ENV-02/2026-27-Q2/confirmation?done=due-date-moved`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Due date moved');
    await expect(page.getByRole('link', { name: 'Back to the status board' }).getAttribute('href')).resolves.toBe('/app/status-board/2026-27-Q2');
    await audit(page);
    const dueOf = async (kpiId: string) => {
      const body = expectStatus(await team('GET', `/returns/${kpiId}/2026-27-Q2`), 200).body as { dueDate?: string; request?: { dueDate?: string } };
      return body.dueDate ?? body.request?.dueDate;
    };
    // This return only; the other keeps the cycle's date.
    await expect(dueOf('ENV-02')).resolves.toBe('2026-10-20');
    await expect(dueOf('ENV-01')).resolves.toBe('2026-10-16');
    const trail = expectStatus(await team('GET', '/returns/ENV-02/2026-27-Q2/audit'), 200).body as { entries: { eventType?: string; type?: string; data?: Record<string, unknown> }[] };
    expect(trail.entries.filter((e) => (e.eventType ?? e.type) === 'ReturnDueDateChanged').at(-1)?.data).toEqual({ from: '2026-10-16', to: '2026-10-20', reason: 'Data owner on leave until the 19th.' });
  });

  it('a form the cycle has moved on from is refused with 409 and writes nothing', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/cycles/2026-27-Q1/closure');
    // Meanwhile someone extends Q1's deadline through the API.
    const q1 = await team('GET', '/cycles/2026-27-Q1');
    expectStatus(
      await team('POST', '/cycles/2026-27-Q1/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-07-16', reason: 'Late data feed.' }, headers: { 'if-match': q1.headers.get('etag')! } }),
      200,
    );
    const response = await submit(page, 'Close and publish');
    expect(response.status()).toBe(409);
    await expect(summary(page)).resolves.toContain('Someone else changed this cycle while you were looking at it.');
    await audit(page);
    expect(((await team('GET', '/cycles/2026-27-Q1')).body as { status: string }).status).toBe('open');
  });

  it('the performance team closes and publishes the cycle; a closed cycle cannot change', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/status-board/2026-27-Q2');
    await page.getByRole('link', { name: 'Close and publish 2026/27-Q2' }).click();
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q2/closure`);
    await expect(page.locator('#close-summary').textContent()).resolves.toBe('0 of 2 returns are approved; 2 still have no figure.');
    await expect(page.locator('.govuk-warning-text').textContent()).resolves.toContain('2 returns not yet approved will be recorded as outstanding');
    await audit(page);
    const response = await submit(page, 'Close and publish');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q2/confirmation?done=closed`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Cycle 2026/27-Q2 closed and published');
    await expect(page.locator('#what-next').textContent()).resolves.toContain('2 of 2 returns were not approved and are recorded as outstanding');
    await audit(page);
    const cycle = expectStatus(await team('GET', '/cycles/2026-27-Q2'), 200).body as { status: string; outstandingReturnIds: string[] };
    expect(cycle.status).toBe('closed');
    expect(cycle.outstandingReturnIds).toHaveLength(2);

    await page.goto(`${api.baseUrl}/app/status-board/2026-27-Q2`);
    await expect(page.locator('#cycle-actions').count()).resolves.toBe(0);
    const refused = await page.goto(`${api.baseUrl}/app/cycles/2026-27-Q2/deadline-extension`);
    expect(refused?.status()).toBe(409);
    await expect(page.locator('main').textContent()).resolves.toContain('The cycle 2026/27-Q2 has been closed and published');
    await audit(page);
  });

  it('works without JavaScript', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/cycles/new', { javaScriptEnabled: false });
    await page.getByLabel('Quarter').fill('2026/27-Q3');
    const response = await submit(page, 'Open the cycle');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/cycles/2026-27-Q3/confirmation?done=opened`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toContain('Cycle 2026/27-Q3 opened');
    expect(((await team('GET', '/cycles/2026-27-Q3')).body as { status: string }).status).toBe('open');
  });

  it('other staff cannot open, extend or close cycles (403) and are not offered to', async () => {
    const page = await signedIn('ari.auditor@council.example', '/app/status-board');
    await expect(page.getByRole('button', { name: 'Open a cycle' }).count()).resolves.toBe(0);
    for (const path of ['/app/cycles/new', '/app/cycles/2026-27-Q1/deadline-extension', '/app/cycles/2026-27-Q1/closure', '/app/returns/ENV-01/2026-27-Q1/deadline-extension']) {
      const response = await page.goto(`${api.baseUrl}${path}`);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You cannot see this page');
    }
    await audit(page);
    await page.goto(`${api.baseUrl}/app/status-board/2026-27-Q1`);
    await expect(page.locator('#cycle-actions').count()).resolves.toBe(0);
  });

  it('found no accessibility violations on any page visited', () => {
    expect([...journey.audited].sort()).toEqual([
      '/app/cycles',
      '/app/cycles/2026-27-Q1/closure',
      '/app/cycles/2026-27-Q2/confirmation',
      '/app/cycles/2026-27-Q2/deadline-extension',
      '/app/cycles/2026-27-Q2/closure',
      '/app/cycles/new',
      '/app/returns/ENV-01/2026-27-Q1/deadline-extension',
      '/app/returns/ENV-02/2026-27-Q2/confirmation',
      '/app/returns/ENV-02/2026-27-Q2/deadline-extension',
      '/app/status-board',
    ].sort());
    expect(journey.violations).toEqual([]);
  });
});

import type { Page, Response as PageResponse } from 'playwright-core';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
] as const;

const NOW = '2026-06-01T09:00:00Z';

/**
 * The performance team's people forms in a real browser: add a person (blank form, a user id
 * already taken 409 and a missing directorate refused, nothing written), change their roles and
 * directorate, deactivate them with a reason; other staff get 403. axe-core on every page visited.
 */
describe('the people forms in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let team: ApiClient;

  const audit = (page: Page) => journey.audit(page);
  const signedIn = (email: string, path: string, options: { javaScriptEnabled?: boolean } = {}) => journey.signedIn(email, path, options);
  async function submit(page: Page, button: string): Promise<PageResponse> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${api.baseUrl}/app/people`)),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }
  const summary = (page: Page) => page.locator('.govuk-error-summary').textContent();
  const person = async (id: string) => (await team('GET', `/people/${id}`)).body as { personId: string; roles: string[]; directorate?: string; active?: boolean };

  beforeAll(async () => {
    journey = await WebJourney.start({ accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })), now: NOW, sessionSecret: 'people-forms-journey-session-secret-0123456789' });
    api = journey.api;
    team = api.as(PRINCIPALS.team);
    for (const { personId, ...p } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...p } }), 201);
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    await defineKpi(team, 'CHS-01', { directorate: 'People', serviceArea: "Children's Services", owner: 'c.lead', title: 'Care leavers in education' });
    await settle(api);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  it('the performance team adds a person, after refusals that write nothing', async () => {
    const page = await signedIn('pat.performance@council.example', '/app/people');
    await expect(page.locator('tr[data-person="p.perf"]').textContent()).resolves.toContain('Performance team');
    await audit(page);
    await page.getByRole('button', { name: 'Add a person' }).click();
    await page.waitForURL(`${api.baseUrl}/app/people/new`);
    await audit(page);

    let response = await submit(page, 'Add the person');
    expect(response.status()).toBe(400);
    const blank = (await summary(page)) ?? '';
    for (const message of ['Enter a user id', 'Enter the person’s full name', 'Enter an e-mail address', 'Select at least one role']) expect(blank).toContain(message);
    await audit(page);

    await page.getByLabel('User id').fill('p.perf');
    await page.getByLabel('Full name').fill('Someone Else');
    await page.getByLabel('E-mail address').fill('someone.else@council.example');
    await page.getByLabel('Auditor').check();
    response = await submit(page, 'Add the person');
    expect(response.status()).toBe(409);
    await expect(summary(page)).resolves.toContain('p.perf is already in the directory.');
    expect((await person('p.perf')).roles).toEqual(['performance-team']);

    await page.getByLabel('User id').fill('n.new');
    await page.getByLabel('Full name').fill('Nia New');
    await page.getByLabel('E-mail address').fill('nia.new@council.example');
    await page.getByLabel('Auditor').uncheck();
    await page.getByLabel('Service lead (reports figures)').check();
    response = await submit(page, 'Add the person');
    expect(response.status()).toBe(400);
    await expect(summary(page)).resolves.toContain('Select the directorate for a service lead or DMT member');
    expectStatus(await team('GET', '/people/n.new'), 404);
    // What was entered is kept.
    await expect(page.getByLabel('Service lead (reports figures)').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('User id').inputValue()).resolves.toBe('n.new');

    await page.getByLabel('Directorate', { exact: true }).selectOption('Place');
    response = await submit(page, 'Add the person');
    expect(response.status()).toBe(303);
    await page.waitForURL(/\/app\/people\?done=added/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('n.new added to the directory.');
    await audit(page);
    await settle(api);
    const added = await person('n.new');
    expect(added.roles).toEqual(['service-lead']);
    expect(added.directorate).toBe('Place');
  });

  it('the performance team changes the role and directorate, then deactivates with a reason', async () => {
    await settle(api);
    const page = await signedIn('pat.performance@council.example', '/app/people');
    await page.getByRole('link', { name: 'Change Nia New' }).click();
    await page.waitForURL(`${api.baseUrl}/app/people/n.new/change`);
    await expect(page.getByLabel('Service lead (reports figures)').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('Directorate', { exact: true }).inputValue()).resolves.toBe('Place');
    await audit(page);
    await page.getByLabel('Directorate management team (reviews figures)').check();
    await page.getByLabel('Directorate', { exact: true }).selectOption('People');
    let response = await submit(page, 'Save the change');
    expect(response.status()).toBe(303);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('n.new changed.');
    const changed = await person('n.new');
    expect([...changed.roles].sort()).toEqual(['dmt', 'service-lead']);
    expect(changed.directorate).toBe('People');

    await settle(api);
    await page.goto(`${api.baseUrl}/app/people`);
    await page.getByRole('link', { name: 'Deactivate Nia New' }).click();
    await page.waitForURL(`${api.baseUrl}/app/people/n.new/deactivation`);
    await audit(page);
    response = await submit(page, 'Deactivate');
    expect(response.status()).toBe(400);
    await expect(summary(page)).resolves.toContain('Enter why the person is deactivated');
    expect((await person('n.new')).active).not.toBe(false);
    await audit(page);
    await page.getByLabel('Why are they deactivated?').fill('Left the council in May.');
    response = await submit(page, 'Deactivate');
    expect(response.status()).toBe(303);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('n.new deactivated');
    await settle(api);
    await page.reload();
    await expect(page.locator('tr[data-person="n.new"]').count()).resolves.toBe(0);
    const listed = (await team('GET', '/people?includeInactive=true')).body as { personId: string; active: boolean }[];
    expect(listed.find((p) => p.personId === 'n.new')?.active).toBe(false);
  });

  it('other staff cannot manage people (403) and are not offered to', async () => {
    const page = await signedIn('ari.auditor@council.example', '/app/status-board');
    await expect(page.getByRole('link', { name: 'People', exact: true }).count()).resolves.toBe(0);
    for (const path of ['/app/people', '/app/people/new', '/app/people/p.perf/change', '/app/people/p.perf/deactivation']) {
      const response = await page.goto(`${api.baseUrl}${path}`);
      expect(response?.status()).toBe(403);
      await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You cannot see this page');
    }
    await audit(page);
  });

  it('found no accessibility violations on any page visited', () => {
    expect([...journey.audited].sort()).toEqual(['/app/people', '/app/people/n.new/change', '/app/people/n.new/deactivation', '/app/people/new', '/app/people/p.perf/deactivation'].sort());
    expect(journey.violations).toEqual([]);
  });
});

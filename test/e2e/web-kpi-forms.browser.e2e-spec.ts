import type { Page, Response as PageResponse } from 'playwright-core';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
  { personId: 'n.owner', name: 'Nia Owner', email: 'nia.owner@council.example', roles: ['service-lead'], directorate: 'Place' },
] as const;

const NOW = '2026-06-01T09:00:00Z';

type KpiBody = { version: string; title: string; directorate: string; owner: string; keyContacts: string[]; status: string; policies?: Record<string, unknown>; targets?: unknown };

/**
 * The performance team's register forms in a real browser, signed in through the loopback OpenID
 * provider: define a KPI (blank and duplicate refusals first), change its definition, set next
 * year's targets, change its owner, retire it. Each refusal names its field (the domain's
 * ValidationError mapped to the form field) or says in words why (409), and writes nothing, as
 * the JSON API reads back. axe-core checks every page visited.
 */
describe('the KPI register forms in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let team: ApiClient;

  async function submit(page: Page, button: string): Promise<PageResponse> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${api.baseUrl}/app/kpis`)),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }
  const summary = (page: Page) => page.locator('.govuk-error-summary').textContent();
  const summaryLinks = (page: Page) => page.locator('.govuk-error-summary a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  const kpi = async (kpiId: string) => expectStatus(await team('GET', `/kpis/${kpiId}`), 200).body as KpiBody;

  beforeAll(async () => {
    journey = await WebJourney.start({ accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })), now: NOW, sessionSecret: 'kpi-forms-journey-session-secret-0123456789' });
    api = journey.api;
    team = api.as(PRINCIPALS.team);
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    for (const { personId, ...person } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...person } }), 201);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  afterAll(() => {
    expect(journey.violations).toEqual([]);
  });

  it('defines a KPI after refusals that name each field and write nothing', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis');
    await page.getByRole('button', { name: 'Define a KPI' }).click();
    await page.waitForURL(`${api.baseUrl}/app/kpis/new`);
    await journey.audit(page);

    // Nothing entered: every required field is named at once, in the form's order.
    let response = await submit(page, 'Define the KPI');
    expect(response.status()).toBe(400);
    await expect(page.title()).resolves.toBe('Error: Define a KPI – Quarterly');
    await expect(summary(page)).resolves.toContain('Enter a reference like ASC-01');
    await expect(summaryLinks(page)).resolves.toEqual(['#kpiId', '#title', '#definition', '#directorate', '#serviceArea', '#planOutcome', '#unit', '#polarity', '#frequency', '#measureType', '#dataSource', '#owner']);
    await expect(page.locator('#owner-error').textContent()).resolves.toContain('Enter the owner’s user id, for example j.smith');
    await journey.audit(page);

    await page.getByLabel('Reference').fill('ENV-07');
    await page.getByLabel('Title').fill('Streets at an acceptable standard of cleanliness');
    await page.getByLabel('Definition').fill('Transects graded B or better, of all transects surveyed.');
    await page.getByLabel('Directorate').fill('place'); // the register writes it "Place"
    await page.getByLabel('Service area').fill('Street Cleansing');
    await page.getByLabel('Plan outcome').fill('1.2.1 Keep our city clean');
    await page.getByLabel('Unit', { exact: true }).selectOption('percentage');
    await page.getByLabel('Higher is better').check();
    await page.getByLabel('Quarterly').check();
    await page.getByLabel('The period alone').check();
    await page.getByLabel('Data source').fill('Local environmental quality survey');
    await page.getByLabel('Benchmarks').fill('national average\ncore cities');
    // The directorate and owner fields suggest the register's directorates and the directory's people.
    await expect(page.locator('#directorate').getAttribute('list')).resolves.toBe('directorates-suggestions');
    await expect(page.locator('#directorates-suggestions option').evaluateAll((os) => os.map((o) => o.getAttribute('value')))).resolves.toEqual(['Place']);
    await expect(page.locator('#owner').getAttribute('list')).resolves.toBe('people-suggestions');
    await expect(page.locator('#people-suggestions option[value="n.owner"]').textContent()).resolves.toBe('Nia Owner, Place');
    await page.getByLabel('Accountable owner').fill('n.owner');
    response = await submit(page, 'Define the KPI');
    expect(response.status()).toBe(400);
    await expect(page.locator('#directorate-error').textContent()).resolves.toContain('Directorate is written "Place" in the register, not "place"');
    await expect(summaryLinks(page)).resolves.toEqual(['#directorate']);
    // What was entered is kept.
    await expect(page.getByLabel('Benchmarks').inputValue()).resolves.toBe('national average\ncore cities');
    expect((await team('GET', '/kpis/ENV-07')).status).toBe(404);
    await journey.audit(page);

    // A reference that differs from one in the register only by capital letters: 409 on its field.
    await page.getByLabel('Directorate').fill('Place');
    await page.getByLabel('Reference').fill('env-01');
    response = await submit(page, 'Define the KPI');
    expect(response.status()).toBe(409);
    await expect(page.locator('#kpiId-error').textContent()).resolves.toContain('ENV-01 is already in the register');

    await page.getByLabel('Reference').fill('ENV-07');
    // The bounds typed as the pages write percentages: read as 0 and 100.
    await page.getByLabel('Minimum').fill('0%');
    await page.getByLabel('Maximum').fill('100 %');
    response = await submit(page, 'Define the KPI');
    expect(response.status()).toBe(303);
    await page.waitForURL(`${api.baseUrl}/app/kpis/ENV-07?done=defined`);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('The KPI has been added to the register.');
    await expect(page.locator('h1').textContent()).resolves.toContain('ENV-07 Streets at an acceptable standard of cleanliness');
    await journey.audit(page);
    // Its owner is in the directory: no warning about who answers for it.
    await expect(page.locator('#kpi-people-problems').count()).resolves.toBe(0);
    const defined = await kpi('ENV-07');
    expect(defined).toMatchObject({ title: 'Streets at an acceptable standard of cleanliness', directorate: 'Place', owner: 'n.owner', keyContacts: [], status: 'active', validRange: { min: '0', max: '100' } });
  });

  it('changes the definition with a reason; a change made meanwhile is refused, not overwritten', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis/ENV-07');
    await page.getByRole('link', { name: 'Change the definition' }).click();
    await page.waitForURL(`${api.baseUrl}/app/kpis/ENV-07/definition`);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Streets at an acceptable standard of cleanliness');
    await journey.audit(page);

    // Nothing changed: said on the first field.
    let response = await submit(page, 'Save the change');
    expect(response.status()).toBe(400);
    await expect(summary(page)).resolves.toContain('Change at least one thing about the indicator');

    // A change without a reason: the domain refuses it, named on the reason.
    await page.getByLabel('Title').fill('Streets clean to grade B or better');
    response = await submit(page, 'Save the change');
    expect(response.status()).toBe(400);
    await expect(page.locator('#reason-error').textContent()).resolves.toContain('Enter why the definition changes');
    await journey.audit(page);

    // Someone changes the KPI through the API meanwhile: the form's version is stale (409).
    const before = await kpi('ENV-07');
    expectStatus(await team('POST', '/kpis/ENV-07/amendments', { body: { changes: { dataSource: 'LEQ survey (Keep Britain Tidy method)' }, reason: 'Method named' }, headers: { 'If-Match': `"${before.version}"` } }), 200);
    await page.getByLabel('Why does it change?').fill('Cabinet asked for the grade in the title');
    response = await submit(page, 'Save the change');
    expect(response.status()).toBe(409);
    await expect(summary(page)).resolves.toContain('Someone else changed this indicator while you were looking at it, so nothing was saved');
    expect((await kpi('ENV-07')).title).toBe('Streets at an acceptable standard of cleanliness');

    // Sent again on the version now shown: recorded.
    response = await submit(page, 'Save the change');
    expect(response.status()).toBe(303);
    await page.waitForURL(/\/app\/kpis\/ENV-07\?done=amended$/);
    await expect(page.locator('h1').textContent()).resolves.toContain('Streets clean to grade B or better');
    const amended = await kpi('ENV-07');
    expect(amended.title).toBe('Streets clean to grade B or better');
    expect(amended.directorate).toBe('Place');
  });

  it('sets next year’s targets; thresholds in the wrong order are refused on the amber field', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis/ENV-07/targets');
    // Next financial year is chosen.
    await expect(page.getByLabel('Financial year').inputValue()).resolves.toBe('2027/28');
    await page.getByLabel('Green and amber thresholds').check();
    await journey.audit(page);
    await page.getByLabel('Green target').fill('80');
    await page.getByLabel('Amber target').fill('85');
    let response = await submit(page, 'Save the targets');
    expect(response.status()).toBe(400);
    await expect(page.locator('#thresholds-amber-error').textContent()).resolves.toContain('Amber target must not be above the green target when higher is better');
    await expect(summaryLinks(page)).resolves.toEqual(['#thresholds-amber']);
    await journey.audit(page);

    // Outside the unit's range (a percentage): refused on the green field.
    await page.getByLabel('Green target').fill('120');
    await page.getByLabel('Amber target').fill('75');
    response = await submit(page, 'Save the targets');
    expect(response.status()).toBe(400);
    await expect(page.locator('#thresholds-green-error').textContent()).resolves.toContain('Green target 120 is outside the valid range');

    // Typed as the pages write the KPI's figures: read as 80.
    await page.getByLabel('Green target').fill('80%');
    response = await submit(page, 'Save the targets');
    expect(response.status()).toBe(303);
    await page.waitForURL(/done=targets$/);
    await expect(page.locator('main').textContent()).resolves.toContain('Green 80.0% or more, amber 75.0% or more');
    expect((await kpi('ENV-07')).policies).toEqual({ '2027/28': { kind: 'thresholds', green: '80', amber: '75' } });
  });

  it('warns the performance team on a KPI’s page when its owner is no one in the directory', async () => {
    // ENV-01 was defined through the API with the owner s.lead, who was never added to the people.
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis/ENV-01');
    const warning = page.locator('#kpi-people-problems');
    await expect(warning.textContent()).resolves.toContain('The owner s.lead is not anyone in the directory.');
    await expect(warning.textContent()).resolves.toContain('No reminder reaches them');
    await expect(warning.getByRole('link', { name: 'Change the owner or key contacts' }).getAttribute('href')).resolves.toBe('/app/kpis/ENV-01/ownership');
    await journey.audit(page);
    // Not a councillor's or an auditor's business: they do not keep the register.
    const auditorsPage = await journey.signedIn('ari.auditor@council.example', '/app/kpis/ENV-01');
    await expect(auditorsPage.locator('#kpi-people-problems').count()).resolves.toBe(0);
  });

  it('changes the owner and key contacts, then retires the KPI; a retired KPI’s forms say why they cannot be used', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/kpis/ENV-07/ownership');
    await expect(page.getByLabel('Accountable owner').inputValue()).resolves.toBe('n.owner');
    await journey.audit(page);
    await page.getByLabel('Accountable owner').fill('not a user id');
    let response = await submit(page, 'Save the change');
    expect(response.status()).toBe(400);
    await expect(page.locator('#owner-error').textContent()).resolves.toContain('Enter the owner’s user id, for example j.smith');
    await page.getByLabel('Accountable owner').fill('p.perf');
    await page.getByLabel('Key contacts').fill('n.owner');
    response = await submit(page, 'Save the change');
    expect(response.status()).toBe(303);
    expect(await kpi('ENV-07')).toMatchObject({ owner: 'p.perf', keyContacts: ['n.owner'] });

    await page.goto(`${api.baseUrl}/app/kpis/ENV-07/retirement`);
    await journey.audit(page);
    await page.getByLabel('First quarter with no return').fill('2026/27-Q9');
    await page.getByLabel('Why is it retired?').fill('Replaced by ENV-08');
    response = await submit(page, 'Retire the KPI');
    expect(response.status()).toBe(400);
    await expect(page.locator('#effectiveFrom-error').textContent()).resolves.toContain('Enter the first quarter with no return');
    await page.getByLabel('First quarter with no return').fill('2026/27-Q3');
    response = await submit(page, 'Retire the KPI');
    expect(response.status()).toBe(303);
    await expect(page.locator('main').textContent()).resolves.toContain('Retired from 2026/27-Q3');
    await expect(page.getByRole('link', { name: 'Change the definition' }).count()).resolves.toBe(0);
    expect((await kpi('ENV-07')).status).toBe('retired');

    // Its change forms say why instead of offering a form.
    await page.goto(`${api.baseUrl}/app/kpis/ENV-07/definition`);
    await expect(page.locator('main').textContent()).resolves.toContain('ENV-07 has been retired from 2026/27-Q3, so its register entry can no longer change.');
    await expect(page.locator('form[method="post"]:not(.quarterly-sign-out)').count()).resolves.toBe(0);
  });

  it('is the performance team’s alone: an auditor gets 403 and no links', async () => {
    const page = await journey.signedIn('ari.auditor@council.example', '/app/kpis/ENV-01');
    await expect(page.getByRole('link', { name: 'Change the definition' }).count()).resolves.toBe(0);
    // The KPI's page belongs to the register in the navigation, as its history does.
    await expect(page.locator('nav [aria-current]').textContent()).resolves.toContain('KPIs');
    await page.goto(`${api.baseUrl}/app/kpis/ENV-01/history`);
    await expect(page.locator('nav [aria-current]').textContent()).resolves.toContain('KPIs');
    const refused = await page.goto(`${api.baseUrl}/app/kpis/ENV-01/targets`);
    expect(refused?.status()).toBe(403);
    const define = await page.goto(`${api.baseUrl}/app/kpis/new`);
    expect(define?.status()).toBe(403);
    await journey.audit(page);
  });
});

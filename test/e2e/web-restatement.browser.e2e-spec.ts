import type { Page } from 'playwright-core';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { returnStreamId } from '@quarterly/domain';
import { WebJourney } from '@quarterly/testing/web-journey';

const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const RETURN_PAGE = '/app/returns/ENV-01/2026-27-Q2';
const LEAD_EMAIL = 's.lead@council.example';
const DMT_EMAIL = 'd.place@council.example';

/**
 * Issue 13's restatement in the browser: the service lead finds an approved figure wrong, restates
 * it on the return's page (corrected value, reason), and it awaits the DMT's approval again,
 * through the same use case as `POST /returns/:kpi/:period/restatement`. axe checks each page.
 */
describe('restating an approved figure in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let lead: ApiClient;
  let dmt: ApiClient;

  const signedIn = (email: string, path: string) => journey.signedIn(email, path);
  const audit = (page: Page) => journey.audit(page);

  beforeAll(async () => {
    journey = await WebJourney.start({
      accounts: [
        { id: 's.lead', email: LEAD_EMAIL, name: 'Sam Lead' },
        { id: 'd.place', email: DMT_EMAIL, name: 'Dee Place' },
      ],
      now: '2026-10-01T09:00:00Z',
      sessionSecret: 'restatement-journey-session-secret-0123456789',
    });
    api = journey.api;
    const team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    const submitted = expectStatus(await lead('POST', '/returns/ENV-01/2026-27-Q2/submission', { body: { value: '46.0', commentary: 'Steady.' } }), 200);
    expectStatus(await dmt('POST', '/returns/ENV-01/2026-27-Q2/approval', { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
    api.clock.set('2026-11-01T10:00:00Z');
    await settle(api);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  it('asks for the corrected figure and the reason, then sends the restatement for approval again', async () => {
    const page = await signedIn(LEAD_EMAIL, RETURN_PAGE);
    await audit(page);
    await page.getByText('The approved figure is wrong: restate it').click();
    // A decimal comma is not a thousands separator: refused, never read as 430.
    await page.getByLabel('Corrected figure').fill('43,0');
    await page.getByRole('button', { name: 'Restate the figure' }).click();
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/restatement`);
    const summary = page.locator('.govuk-error-summary');
    await expect(summary.locator('a').allTextContents()).resolves.toEqual(['Enter the figure as a number, for example 83.5%', 'Enter why the approved figure is restated']);
    await expect(page.locator('#restatedValue').inputValue()).resolves.toBe('43,0');
    await audit(page);
    // Nothing was written: the figure is still the approved one.
    await expect(lead('GET', '/returns/ENV-01/2026-27-Q2').then((r) => r.body)).resolves.toMatchObject({ status: 'approved', currentValue: '46.0' });

    // Written as the page writes the KPI's figures, the way people copy them: read as 43.0.
    await expect(page.locator('#restatedValue-hint').textContent()).resolves.toContain('for example 83.5%');
    // Refusals the domain makes say what is wrong, not "enter a number": the approved figure
    // again, then a percentage above 100.
    await page.getByLabel('Why is the approved figure wrong?').fill('Contaminated loads were counted as recycled.');
    for (const [typed, message] of [
      ['46.0%', 'The figure is the same as the approved one: enter the corrected figure'],
      ['150', 'The figure must be between 0 and 100'],
    ] as const) {
      await page.getByLabel('Corrected figure').fill(typed);
      await page.getByRole('button', { name: 'Restate the figure' }).click();
      await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/restatement`);
      await expect(page.locator('.govuk-error-summary a').allTextContents()).resolves.toEqual([message]);
      await expect(page.locator('#restatedValue-error').textContent()).resolves.toContain(message);
    }
    await page.getByLabel('Corrected figure').fill('43.0%');
    await page.getByLabel('Why is the approved figure wrong?').fill('Contaminated loads were counted as recycled.');
    await page.getByRole('button', { name: 'Restate the figure' }).click();
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=restated`);
    await expect(page.locator('.govuk-panel__title').textContent()).resolves.toMatch(/Figure restated/);
    await expect(page.locator('.govuk-panel__body').textContent()).resolves.toContain('Figure: 43.0%');
    await audit(page);

    const after = (await lead('GET', '/returns/ENV-01/2026-27-Q2')).body as Record<string, unknown>;
    expect(after).toMatchObject({ currentValue: '43.0' });
    expect(after['status']).not.toBe('approved');
    const events = await api.engine.store.readStream(returnStreamId('ENV-01', '2026/27-Q2'));
    expect(events.at(-1)).toMatchObject({ type: 'ReturnRestated', data: { value: '43.0', reason: 'Contaminated loads were counted as recycled.', restatedBy: 's.lead' }, metadata: { actor: 's.lead' } });
  });

  it('shows the restatement in the history, and the DMT can approve it again', async () => {
    await settle(api);
    const page = await signedIn(DMT_EMAIL, RETURN_PAGE);
    await expect(page.getByText('Contaminated loads were counted as recycled.').first().isVisible()).resolves.toBe(true);
    await expect(page.getByText('The approved figure is wrong: restate it').count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Approve the figure' }).click();
    await page.waitForURL(`${api.baseUrl}${RETURN_PAGE}/confirmation?done=approved`);
    await expect(lead('GET', '/returns/ENV-01/2026-27-Q2').then((r) => r.body)).resolves.toMatchObject({ status: 'approved', currentValue: '43.0' });
  });

  it('meets WCAG 2.2 AA on every page visited (axe)', () => {
    expect(journey.violations).toEqual([]);
  });
});

import type { Page, Response as PageResponse } from 'playwright-core';
import { FIGURE_COLUMNS } from '@quarterly/past-figures-import';
import { KPI_COLUMNS } from '@quarterly/register-import';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
] as const;

const NOW = '2026-05-01T09:00:00Z';

function csv(columns: readonly string[], rows: readonly Record<string, string>[]): Buffer {
  const quote = (text: string) => (/[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
  return Buffer.from(`${[columns.join(','), ...rows.map((row) => columns.map((c) => quote(row[c] ?? '')).join(','))].join('\r\n')}\r\n`);
}

const REGISTER = csv(
  KPI_COLUMNS.map((c) => c.name),
  [
    {
      kpiId: 'ENV-01', title: 'Household waste recycled', definition: 'Tonnes recycled over tonnes collected.', directorate: 'Place', serviceArea: 'Waste',
      planOutcome: '1.2.1 Keep our city clean', owner: 'p.perf', unit: 'percentage', decimalPlaces: '1', polarity: 'higher_is_better', frequency: 'quarterly',
      measureType: 'in_period', dataSource: 'WasteDataFlow', labels: 'green_amber_red', financialYear: '2024/25', policy: 'thresholds', green: '45.0', amber: '40.0',
    },
  ],
);

const figure = (period: string, value: string, status: string, publishedOn: string) => ({
  kpiId: 'ENV-01', period, value, publishedStatus: status, sourceDocument: `Cabinet ${publishedOn}, item 7`, publishedOn,
});

/**
 * The performance team's imports in a real browser: the register, then past figures — upload, the
 * dry run's report (a refused row named by row and column, nothing written; a printed status the
 * engine does not share), import, confirmation — on the same page component. Other staff get 403.
 * axe-core on every page visited.
 */
describe('the import pages in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let team: ApiClient;

  const audit = (page: Page) => journey.audit(page);
  async function submit(page: Page, button: string): Promise<PageResponse> {
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'POST' && r.url().startsWith(`${api.baseUrl}/app/imports`)),
      page.getByRole('button', { name: button }).click(),
    ]);
    await page.waitForLoadState();
    return response;
  }
  const check = async (page: Page, name: string, content: Buffer) => {
    await page.setInputFiles('#file', { name, mimeType: 'text/csv', buffer: content });
    return submit(page, 'Check the file');
  };

  beforeAll(async () => {
    journey = await WebJourney.start({ accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })), now: NOW, sessionSecret: 'imports-journey-session-secret-0123456789abcdef' });
    api = journey.api;
    team = api.as(PRINCIPALS.team);
    for (const { personId, ...p } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...p } }), 201);
    await settle(api);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  it('imports the register: upload, check, import', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/imports');
    await audit(page);
    await page.getByRole('link', { name: 'Import the KPI register' }).click();
    await page.waitForURL(`${api.baseUrl}/app/imports/register`);
    await audit(page);
    const template = await page.request.get(`${api.baseUrl}/app/imports/register/template.csv`);
    expect((await template.text()).split('\r\n')[0]).toBe(KPI_COLUMNS.map((c) => c.name).join(','));

    let response = await submit(page, 'Check the file');
    expect(response.status()).toBe(400);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('Select a spreadsheet file to check');
    await audit(page);

    response = await check(page, 'register.csv', REGISTER);
    expect(response.status()).toBe(200);
    await expect(page.locator('.govuk-summary-list').textContent()).resolves.toMatch(/New\s*1 row/);
    await audit(page);
    expect((await team('GET', '/kpis/ENV-01')).status).toBe(404);
    response = await submit(page, 'Import the file');
    expect(response.status()).toBe(303);
    await page.waitForURL(/\/app\/imports\/register\?written=/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('register.csv imported: 2 entries added to the audit trail.');
    await audit(page);
    expect((await team('GET', '/kpis/ENV-01')).status).toBe(200);
  });

  it('imports past figures: a refused row is named and nothing is written; the corrected file is imported as published', async () => {
    const page = await journey.signedIn('pat.performance@council.example', '/app/imports/past-figures');
    const columns = FIGURE_COLUMNS.map((c) => c.name);
    const bad = csv(columns, [figure('2024/25-Q1', '41.0', 'Amber', '2024-08-20'), figure('2024/25-Q2', 'forty-six', 'Green', '2024-11-14')]);
    let response = await check(page, 'figures.csv', bad);
    expect(response.status()).toBe(200);
    await expect(page.locator('table[data-problems]').textContent()).resolves.toMatch(/Figures, row 3\s*value:\s*expected a decimal number like 83\.5, got "forty-six"/);
    expect(await page.getByRole('button', { name: 'Import the file' }).count()).toBe(0);
    await audit(page);

    await page.getByRole('link', { name: 'Check a corrected file' }).click();
    const good = csv(columns, [figure('2024/25-Q1', '41.0', 'Amber', '2024-08-20'), figure('2024/25-Q2', '44.0', 'Green', '2024-11-14')]);
    response = await check(page, 'figures.csv', good);
    expect(response.status()).toBe(200);
    // 44.0 is amber against green 45.0: the paper printed Green.
    await expect(page.locator('table[data-differences]').textContent()).resolves.toMatch(/3\s*ENV-01 2024\/25-Q2\s*Status\s*Green\s*Amber/);
    await audit(page);
    expect((await team('GET', '/returns/ENV-01/2024-25-Q2')).status).toBe(404);
    response = await submit(page, 'Import the file');
    expect(response.status()).toBe(303);
    await page.waitForURL(/\/app\/imports\/past-figures\?written=/);
    await expect(page.locator('.govuk-notification-banner').textContent()).resolves.toContain('figures.csv imported: 4 entries added to the audit trail.');
    await settle(api);
    const scorecard = expectStatus(await team('GET', '/scorecards/2024-25-Q2'), 200).body;
    expect(scorecard.entries[0]).toMatchObject({ kpiId: 'ENV-01', value: '44.0', status: 'amber', approvedBy: null, imported: { fileName: 'figures.csv', importedBy: 'p.perf', publishedStatus: 'Green' } });

    // The scorecard as it stood before the import: what the council had published, marked imported later.
    await page.goto(`${api.baseUrl}/app/scorecards/2024-25-Q2?asAt=2025-01-10T12:00:00Z`);
    await expect(page.locator('tr[data-kpi="ENV-01"] [data-import-note]').textContent()).resolves.toBe(
      'Imported: Published 14 November 2024 in Cabinet 2024-11-14, item 7; imported later, on 1 May 2026 at 10:00, from figures.csv. Not approved in Quarterly. The paper printed Green.',
    );
    await audit(page);
  });

  it('other staff cannot import (403) and are not offered to', async () => {
    const page = await journey.signedIn('ari.auditor@council.example', '/app/status-board');
    expect(await page.getByRole('link', { name: 'Imports' }).count()).toBe(0);
    const response = await page.goto(`${api.baseUrl}/app/imports/past-figures`);
    expect(response?.status()).toBe(403);
  });

  it('found no accessibility violations on any page visited', () => {
    expect([...journey.audited].sort()).toEqual(['/app/imports', '/app/imports/past-figures', '/app/imports/register', '/app/scorecards/2024-25-Q2'].sort());
    expect(journey.violations).toEqual([]);
  });
});

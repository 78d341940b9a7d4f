import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import type { ApiClient, ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const READERS = [
  { personId: 'cllr.jones', name: 'Councillor Jones', email: 'cllr.jones@council.example', roles: ['member'] },
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
  { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'] },
] as const;
const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const SCORECARD = '/app/scorecards/2026-27-Q2';
/** As long as a real council's: the commentary is the longest cell of a scorecard's row. */
const ROUTE_TO_GREEN =
  'Two posts filled in November. Take-up among older people remains low; some recipients returned to commissioned services after provider failures. A new advisor now reviews every package for a direct payment offer.';

/**
 * The scorecard in a real browser, signed in through the loopback OpenID provider: a councillor
 * reads it once published (and not before); an auditor moves "as at" back to before a
 * restatement, sees the figure as it stood, what changed since, and downloads that scorecard.
 * axe-core checks every page visited.
 */
describe('the scorecard in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;
  let team: ApiClient;

  const audit = (page: Page) => journey.audit(page);
  const signedIn = (email: string, path: string, viewport = { width: 1280, height: 900 }) => journey.signedIn(email, path, { viewport, acceptDownloads: true });
  async function report(kpiId: string, cycle: string, value: string, by: { lead: ApiClient; dmt: ApiClient }) {
    const path = `/returns/${kpiId}/${cycle}`;
    const submitted = expectStatus(
      await by.lead('POST', `${path}/submission`, { body: { value, commentary: `${kpiId}: ${value} this quarter.`, offTargetReason: 'Vacancies in the team.', routeToGreen: ROUTE_TO_GREEN } }),
      200,
    );
    expectStatus(await by.dmt('POST', `${path}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
  }

  beforeAll(async () => {
    journey = await WebJourney.start({
      accounts: READERS.map((p) => ({ id: p.personId, email: p.email, name: p.name })),
      now: '2026-06-01T09:00:00Z',
      sessionSecret: 'scorecard-journey-session-secret-0123456789',
      env: { COUNCIL_NAME: 'Borsetshire County Council' },
    });
    api = journey.api;
    team = api.as(PRINCIPALS.team);
    for (const { personId, ...person } of READERS) expectStatus(await team('POST', '/people', { body: { personId, ...person } }), 201);
    const place = { lead: api.as(PRINCIPALS.placeLead), dmt: api.as(PRINCIPALS.placeDmt) };
    const people = { lead: api.as(PRINCIPALS.peopleLead), dmt: api.as(PRINCIPALS.peopleDmt) };
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    await defineKpi(team, 'ENV-02', { title: 'Fly-tipping cleared within 2 working days' });
    await defineKpi(team, 'CHS-01', { directorate: 'People', serviceArea: "Children's Services", owner: 'c.lead', title: 'Care leavers in education' });
    await openCycle(api, team, '2026/27-Q1', Q1);
    api.clock.set('2026-07-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q1', '44.0', place);
    await report('ENV-02', '2026-27-Q1', '46.0', place);
    // CHS-01's Q1 figure never comes: it is still missing on Q1's status board.
    api.clock.set('2026-10-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q2', '46.0', place);
    await report('ENV-02', '2026-27-Q2', '38.0', place);
    await report('CHS-01', '2026-27-Q2', '47.5', people);
    api.clock.set('2026-11-01T10:00:00Z');
    const current = await place.lead('GET', '/returns/ENV-01/2026-27-Q2');
    const restated = expectStatus(
      await place.lead('POST', '/returns/ENV-01/2026-27-Q2/restatement', { body: { value: '43.0', reason: 'Contaminated loads removed.' }, headers: { 'if-match': current.headers.get('etag')! } }),
      200,
    );
    api.clock.set('2026-11-02T10:00:00Z');
    expectStatus(await place.dmt('POST', '/returns/ENV-01/2026-27-Q2/approval', { body: {}, headers: { 'if-match': restated.headers.get('etag')! } }), 200);
    await settle(api);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  it('a councillor cannot read the quarter before it is published, then reads the published scorecard', async () => {
    const member = await signedIn('cllr.jones@council.example', '/app/scorecards');
    await expect(member.locator('main').textContent()).resolves.toContain('There is no scorecard for you to read yet');
    // A councillor answers for no return: no "Your returns" in the navigation.
    await expect(member.getByRole('link', { name: 'Your returns' }).count()).resolves.toBe(0);
    await expect(member.getByRole('link', { name: 'Scorecards' }).count()).resolves.toBe(1);
    await audit(member);
    const early = await member.goto(`${api.baseUrl}${SCORECARD}`);
    expect(early?.status()).toBe(403);
    await expect(member.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('You cannot see this page');
    // Why, in words a councillor reads; nothing about returns, which a councillor has none of.
    const refusal = (await member.locator('main').textContent()) ?? '';
    expect(refusal).toContain('These figures are not published yet.');
    expect(refusal).not.toContain('Returns are open to');
    expect((await api.as({ id: 'cllr.jones', roles: ['member'] })('GET', '/scorecards/2026-27-Q2')).body).toMatchObject({ status: 403, code: 'not_published_yet' });

    const cycle = await team('GET', '/cycles/2026-27-Q2');
    expectStatus(await team('POST', '/cycles/2026-27-Q2/closure', { headers: { 'if-match': cycle.headers.get('etag')! } }), 200);
    await settle(api);

    await member.goto(`${api.baseUrl}/app/scorecards`);
    // The list says which months each quarter covers and when it was published.
    const listed = (await member.locator('main tbody tr').allTextContents()).map((row) => row.replace(/\s+/g, ' ').trim());
    expect(listed).toEqual([expect.stringMatching(/^Scorecard 2026\/27-Q2 July to September 2026 Published \d{1,2} \w+ 2026$/)]);
    await member.getByRole('link', { name: 'Scorecard 2026/27-Q2' }).click();
    await member.waitForURL(`${api.baseUrl}${SCORECARD}`);
    await expect(member.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Scorecard 2026/27-Q2');
    const env02 = member.locator('tr[data-kpi="ENV-02"]');
    await expect(env02.locator('td').nth(0).textContent()).resolves.toContain('38.0%');
    // Status and direction in words, not colour alone.
    await expect(env02.locator('.govuk-tag').textContent()).resolves.toBe('Red');
    await expect(env02.textContent()).resolves.toContain('Declining');
    await expect(env02.textContent()).resolves.toContain('Why off target: Vacancies in the team.');
    // At 1280 px the indicator tables fit the page's (wider, data page) column: the commentary has a
    // readable measure, not a column of single words beyond the table's right edge, so a row is
    // about as tall as its longest cell needs.
    const regions = member.locator('.quarterly-table-scroll:has(.quarterly-scorecard)');
    await expect(regions.evaluateAll((rs) => rs.map((r) => r.scrollWidth - r.clientWidth))).resolves.toEqual([0, 0]);
    await expect(regions.first().evaluate((r) => r.clientWidth)).resolves.toBeGreaterThan(1100);
    const commentary = (await env02.locator('.quarterly-scorecard__commentary').boundingBox())!;
    expect(commentary.width).toBeGreaterThanOrEqual(280);
    expect((await env02.boundingBox())!.height).toBeLessThan(260);
    await expect(member.locator('#headline').textContent()).resolves.toContain('1 of 3 indicators with targets met them (33.3%)');
    await expect(member.locator('.quarterly-highlights').textContent()).resolves.toContain('ENV-02 Fly-tipping cleared within 2 working days');
    // The summary tables end with every directorate together; the met/missed tables count the
    // KPIs with no comparable figure too, so each group adds up to the headline's met and missed.
    const totalRow = (table: string) => member.locator(`${table} tr.quarterly-summary__total`).locator('th, td').allTextContents();
    await expect(totalRow('table:has(caption:text("Statuses by directorate"))')).resolves.toEqual(['All directorates', '1', '1', '1', '0', '0', '0']);
    for (const table of ['#cross-previous', '#cross-last-year']) {
      const [group, met, missed] = await member
        .locator(`${table} tbody.quarterly-summary__total tr`)
        .evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent!.trim())));
      expect([group, met![0], missed![0]]).toEqual([['All directorates'], 'Met', 'Missed']);
      const sum = (cells: string[]) => cells.map(Number).reduce((a, b) => a + b, 0);
      expect([sum(met!.slice(1)), sum(missed!.slice(1))]).toEqual([1, 2]);
    }
    await expect(member.locator('#cross-previous thead').textContent()).resolves.toMatch(/Not compar\u00adable/);
    // The overview of statuses by directorate: one image, every count in its description.
    await expect(member.getByRole('img', { name: /^Statuses by directorate/ }).count()).resolves.toBe(1);
    await expect(member.locator('#status-overview-desc').textContent()).resolves.toBe(
      'People: 1 on target (green or met), 0 amber, 0 off target (red or not met), 0 no status; Place: 0 on target (green or met), 1 amber, 1 off target (red or not met), 0 no status.',
    );
    // Each KPI's small multiple: an image described in words (published periods only: Q1 was
    // never published), drawn by the server as an SVG with its own title and description.
    const multiple = env02.locator('img');
    await expect(multiple.getAttribute('alt')).resolves.toBe('Trend of the last 1 period: 2026/27-Q2: 38.0% (Red), target 45.0%.');
    await multiple.scrollIntoViewIfNeeded();
    await expect(multiple.evaluate((img) => (img as unknown as { decode(): Promise<void>; naturalWidth: number }).decode().then(() => (img as unknown as { naturalWidth: number }).naturalWidth))).resolves.toBeGreaterThan(0);
    const image = await member.request.get(`${api.baseUrl}${(await multiple.getAttribute('src'))!}`);
    expect(image.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    const svg = await image.text();
    expect(svg).toContain('<title id="trend-title">ENV-02 Fly-tipping cleared within 2 working days: the last 1 period with the target</title>');
    expect(svg).toContain('<desc id="trend-desc">2026/27-Q2: 38.0% (Red), target 45.0%.</desc>');
    await expect(env02.getByRole('link', { name: 'Figures of the ENV-02 trend as a table' }).getAttribute('href')).resolves.toBe('/app/kpis/ENV-02#trend');
    await audit(member);
    // On a 390 px phone the page never scrolls sideways: the summaries reflow to fit, and the
    // indicator tables scroll inside their own focusable regions.
    const narrow = await signedIn('cllr.jones@council.example', SCORECARD, { width: 390, height: 844 });
    await expect(narrow.locator('html').evaluate((html) => html.scrollWidth)).resolves.toBe(390);
    // The overview chart is not scaled down below its drawn size, so its labels stay readable.
    await expect(narrow.locator('figure.quarterly-chart svg').evaluate((svg) => svg.getBoundingClientRect().width / (svg as unknown as { viewBox: { baseVal: { width: number } } }).viewBox.baseVal.width)).resolves.toBeGreaterThanOrEqual(1);
    const overflow = (selector: string) => narrow.locator(selector).evaluateAll((regions) => regions.map((r) => r.scrollWidth - r.clientWidth));
    await expect(overflow('.quarterly-table-scroll:has(.quarterly-summary)')).resolves.toEqual([0, 0, 0]);
    await expect(narrow.locator('.quarterly-table-scroll:has(.quarterly-scorecard)').evaluateAll((regions) => regions.map((r) => [r.getAttribute('tabindex'), r.getAttribute('role')]))).resolves.toEqual([
      ['0', 'region'],
      ['0', 'region'],
    ]);
    await audit(narrow);

    await member.getByLabel('Status', { exact: true }).selectOption('red');
    await member.getByRole('button', { name: 'Show scorecard' }).click();
    await member.waitForURL(/status=red/);
    await expect(member.locator('tr[data-kpi]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kpi')))).resolves.toEqual(['ENV-02']);
    await expect(member.locator('main').textContent()).resolves.toContain('Showing 1 of 3 indicators');
    await audit(member);

    // The KPI's page: its trend drawn as an accessible SVG image, published periods only.
    await member.getByRole('link', { name: 'ENV-02 Fly-tipping cleared within 2 working days' }).click();
    await member.waitForURL(`${api.baseUrl}/app/kpis/ENV-02`);
    // A councillor has no register: the KPI's page stays under the scorecards in the navigation.
    await expect(member.locator('nav [aria-current]').textContent()).resolves.toContain('Scorecards');
    const chart = member.getByRole('img', { name: /ENV-02 Fly-tipping cleared within 2 working days: the last 1 period with the target/ });
    await expect(chart.count()).resolves.toBe(1);
    // One period in the singular (never "the last 1 periods", nor "the last 0 periods").
    await expect(member.locator('#trend-intro').textContent()).resolves.toMatch(/^The approved figure of the last period that has been published, as at .+, with the target it was rated against\.$/);
    await expect(member.locator('svg desc').textContent()).resolves.toBe('2026/27-Q2: 38.0% (Red), target 45.0%.');
    const trend = (await member.locator('table').filter({ hasText: 'The figures in the chart' }).textContent()) ?? '';
    expect(trend).toMatch(/2026\/27-Q2\s*38\.0%/);
    // Q1 was never published: a councillor does not see it.
    expect(trend).not.toContain('2026/27-Q1');
    await audit(member);
  });

  it('an auditor moves "as at" back before a restatement, sees the earlier figure and what changed since, and downloads that scorecard', async () => {
    const auditor = await signedIn('ari.auditor@council.example', SCORECARD);
    await expect(auditor.locator('tr[data-kpi="ENV-01"] td').nth(0).textContent()).resolves.toContain('43.0%');
    // Staff see every period in the small multiple: Q1 and Q2 (its restated, approved figure).
    await expect(auditor.locator('tr[data-kpi="ENV-01"] img').getAttribute('alt')).resolves.toBe('Trend of the last 2 periods: 2026/27-Q1: 44.0% (Amber), target 45.0%; 2026/27-Q2: 43.0% (Amber), target 45.0%.');
    await audit(auditor);

    await auditor.getByLabel('As at (UK time)').fill('2026-10-20T09:00');
    await auditor.getByLabel('Show what changed since (UK time)').fill('2026-10-20T09:00');
    await auditor.getByLabel('As at (UK time)').fill('2026-10-20T09:00');
    await auditor.getByRole('button', { name: 'Show scorecard' }).click();
    await auditor.waitForURL(/asAt=2026-10-20T09%3A00/);
    await expect(auditor.locator('#as-at').textContent()).resolves.toBe('As it stood at 20 October 2026 at 09:00');
    const env01 = auditor.locator('tr[data-kpi="ENV-01"]');
    await expect(env01.locator('td').nth(0).textContent()).resolves.toContain('46.0%');
    await expect(env01.locator('.govuk-tag').textContent()).resolves.toBe('Green');
    // The small multiple as it stood then too.
    await expect(env01.locator('img').getAttribute('alt')).resolves.toBe('Trend of the last 2 periods: 2026/27-Q1: 44.0% (Amber), target 45.0%; 2026/27-Q2: 46.0% (Green), target 45.0%.');
    await expect(auditor.locator('#changes').count()).resolves.toBe(1);
    await audit(auditor);

    // What changed between then and now: the restatement.
    await auditor.getByLabel('As at (UK time)').fill('');
    await auditor.getByRole('button', { name: 'Show scorecard' }).click();
    await auditor.waitForURL(/since=2026-10-20T09%3A00/);
    const changes = (await auditor.locator('main table').filter({ hasText: 'Then' }).textContent()) ?? '';
    // Figures printed as everywhere else (formatFigure): the % of a percentage.
    expect(changes).toMatch(/ENV-01 Household waste recycled\s*46\.0% \(Green\)\s*43\.0% \(Amber\)/);
    expect(changes).not.toContain('ENV-02');
    await audit(auditor);

    // An "as at" that is not a date and time, or is in the future: the page says which and why.
    for (const [asAt, reason] of [
      ['yesterday', 'must be written like 2026-10-09T11:00 (London time)'],
      ['2030-01-01T00%3A00', 'must not be in the future'],
    ] as const) {
      const refused = await auditor.goto(`${api.baseUrl}${SCORECARD}?asAt=${asAt}`);
      expect(refused?.status()).toBe(400);
      await expect(auditor.locator('main').textContent()).resolves.toContain(`The “as at” date and time ${reason}`);
    }

    await auditor.goto(`${api.baseUrl}${SCORECARD}?asAt=2026-10-20T09%3A00`);
    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    expect(download.suggestedFilename()).toBe('borsetshire-county-council-scorecard-2026-27-Q2-as-at-2026-10-20T0800Z.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await download.path())!) as unknown as ArrayBuffer);
    const place = workbook.getWorksheet('Place')!;
    const row = place.getRows(1, place.rowCount)!.find((r) => r.getCell(1).value === 'ENV-01')!;
    expect([row.getCell(5).value, row.getCell(8).value]).toEqual([46, 'Green']);
  });

  it('an auditor reads a KPI history as a timeline, moves "as at" back to before the restatement, and downloads it', async () => {
    const auditor = await signedIn('ari.auditor@council.example', '/app/kpis/ENV-01/history');
    const items = auditor.locator('.quarterly-history__item');
    // Newest first: the approval of the restated figure, then the restatement.
    await expect(items.nth(0).textContent()).resolves.toMatch(/Figure approved: 2026\/27-Q2[\s\S]*43\.0%[\s\S]*rated Amber at the time/);
    await expect(items.nth(1).textContent()).resolves.toMatch(/Figure restated: 2026\/27-Q2[\s\S]*“Contaminated loads removed\.”/);
    // Q1 reported and approved; Q2 reported, approved, restated and approved again.
    await expect(items.count()).resolves.toBe(6);
    await audit(auditor);

    await auditor.getByLabel('As at (UK time)').fill('2026-10-20T09:00');
    await auditor.getByRole('button', { name: 'Show history' }).click();
    await auditor.waitForURL(/asAt=2026-10-20T09%3A00/);
    await expect(items.count()).resolves.toBe(4);
    await expect(items.nth(0).textContent()).resolves.toMatch(/Figure approved: 2026\/27-Q2[\s\S]*46\.0%[\s\S]*rated Green at the time/);
    await expect(auditor.locator('main').textContent()).resolves.not.toContain('Contaminated loads removed');
    await audit(auditor);

    const [download] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('borsetshire-county-council-env-01-history-all-periods-as-at-2026-10-20T0800Z.csv');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.startsWith('\uFEFFWhen (UK time),Period,What happened,Figure,Rating at the time,Who')).toBe(true);
    expect(csv.split('\r\n')[1]).toMatch(/^10 October 2026 at 11:00,2026\/27-Q2,Figure approved,46\.0%,Green,/);
    expect(csv).not.toContain('43.0');
    // The same history as XLSX, read back with exceljs: the figure of that instant, not the restated one.
    const [historyXlsx] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    expect(historyXlsx.suggestedFilename()).toBe('borsetshire-county-council-env-01-history-all-periods-as-at-2026-10-20T0800Z.xlsx');
    const historyBook = new ExcelJS.Workbook();
    await historyBook.xlsx.load(readFileSync((await historyXlsx.path())!) as unknown as ArrayBuffer);
    const historySheet = historyBook.worksheets[0]!;
    const historyRows = historySheet.getRows(1, historySheet.rowCount)!.map((r) => (r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
    const approvedQ2 = historyRows.find((cells) => cells[1] === '2026/27-Q2' && cells[2] === 'Figure approved')!;
    expect(approvedQ2.slice(3, 5)).toEqual(['46.0%', 'Green']);
    expect(historyRows.some((cells) => cells.some((c) => c.includes('43.0')))).toBe(false);

    // The return's audit trail: every event, in words, with revision and correlation id; as XLSX too.
    await auditor.goto(`${api.baseUrl}/app/returns/ENV-01/2026-27-Q2/audit`);
    const trail = (await auditor.locator('main table').textContent()) ?? '';
    expect(trail).toMatch(/Figure requested, due 14 October 2026\s*ReturnRequested #0/);
    expect(trail).toMatch(/Test s\.lead restated the figure as 43\.0%\s*“Contaminated loads removed\.”\s*ReturnRestated #\d+/);
    await audit(auditor);
    const [xlsx] = await Promise.all([auditor.waitForEvent('download'), auditor.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    expect(xlsx.suggestedFilename()).toBe('borsetshire-county-council-env-01-audit-trail-2026-27-Q2-as-at-2026-11-02T1000Z.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('Audit trail')!;
    const events = sheet.getRows(4, sheet.rowCount - 3)!.map((r) => r.getCell(4).value);
    expect(events).toEqual(['ReturnRequested', 'ReturnSubmitted', 'ReturnApproved', 'ReturnRestated', 'ReturnApproved']);
  });

  it('the performance team reads the KPI register and the status board, with what is still missing, and downloads it', async () => {
    const team = await signedIn('pat.performance@council.example', '/app/kpis');
    await expect(team.locator('#register-count').textContent()).resolves.toBe('Showing 3 of 3 indicators.');
    await audit(team);
    await team.getByLabel('Search').fill('fly-tipping');
    await team.getByRole('button', { name: 'Find indicators' }).click();
    await team.waitForURL(/q=fly-tipping/);
    await expect(team.locator('tr[data-kpi]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kpi')))).resolves.toEqual(['ENV-02']);
    await team.getByLabel('Search').fill('');
    await team.getByLabel('Directorate').selectOption('People');
    await team.getByRole('button', { name: 'Find indicators' }).click();
    await team.waitForURL(/directorate=People/);
    await expect(team.locator('tr[data-kpi]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kpi')))).resolves.toEqual(['CHS-01']);
    await audit(team);

    await team.getByRole('link', { name: 'Status board', exact: true }).click();
    await team.getByRole('link', { name: 'Status board 2026/27-Q1' }).click();
    await team.waitForURL(`${api.baseUrl}/app/status-board/2026-27-Q1`);
    const missing = (await team.locator('#still-missing + ul').textContent()) ?? '';
    await expect(team.locator('#still-missing').textContent()).resolves.toBe('Still missing (1)');
    expect(missing).toMatch(/CHS-01 Care leavers in education \(People\): Figure needed, due 14 July 2026\s*Overdue/);
    await expect(team.locator('#counts-summary').textContent()).resolves.toBe('3 returns; 1 overdue; 0 escalated.');
    // Every stage has its own label, the same in the filter and the counts.
    const stages = await team.locator('#state option').allTextContents();
    expect(new Set(stages).size).toBe(stages.length);
    expect(stages).toEqual(expect.arrayContaining(['Sent: waiting for approval', 'Sent again after a challenge: waiting for approval']));
    await expect(team.locator('.govuk-summary-list__key').allTextContents()).resolves.toEqual(stages.slice(1));
    // The figure as the KPI prints it (formatFigure), not the stored decimal.
    await expect(team.locator('tr[data-kpi="ENV-01"] td.govuk-table__cell--numeric').textContent()).resolves.toBe('44.0%');
    await expect(team.getByRole('link', { name: 'queue dashboard' }).getAttribute('href')).resolves.toBe('/admin/queues');
    await expect(team.getByRole('link', { name: 'Audit trail of CHS-01' }).getAttribute('href')).resolves.toBe('/app/returns/CHS-01/2026-27-Q1/audit');
    await audit(team);
    await team.getByLabel('Directorate').selectOption('Place');
    await team.getByRole('button', { name: 'Show returns' }).click();
    await team.waitForURL(/directorate=Place/);
    await expect(team.locator('tr[data-kpi]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kpi')))).resolves.toEqual(['ENV-01', 'ENV-02']);
    const [download] = await Promise.all([team.waitForEvent('download'), team.getByRole('link', { name: 'CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('borsetshire-county-council-status-board-2026-27-Q1-as-at-2026-11-02T1000Z.csv');
    const lines = readFileSync((await download.path())!, 'utf8').split('\r\n').filter(Boolean);
    expect(lines.map((l) => l.split(',')[0])).toEqual(['\uFEFFKPI', 'ENV-01', 'ENV-02']);
    expect(lines[1]).toContain(',Approved,2026-07-14,No,44.0%,Amber,');
    // The XLSX keeps the figure a number (with the KPI's format) and the due date a date, as Excel reads them.
    const [xlsx] = await Promise.all([team.waitForEvent('download'), team.getByRole('link', { name: 'Excel (XLSX)' }).click()]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync((await xlsx.path())!) as unknown as ArrayBuffer);
    const board = workbook.getWorksheet('Status board')!;
    const env01 = board.getRows(1, board.rowCount)!.find((r) => r.getCell(1).value === 'ENV-01')!;
    expect([env01.getCell(8).type, env01.getCell(8).value, env01.getCell(8).numFmt]).toEqual([ExcelJS.ValueType.Number, 44, '#,##0.0"%"']);
    expect(env01.getCell(6).type).toBe(ExcelJS.ValueType.Date);
    expect((env01.getCell(6).value as Date).toISOString()).toBe('2026-07-14T00:00:00.000Z');
  });

  it('found no accessibility violations on any page visited', () => {
    expect([...journey.audited].sort()).toEqual(['/app/kpis', '/app/kpis/ENV-01/history', '/app/kpis/ENV-02', '/app/returns/ENV-01/2026-27-Q2/audit', '/app/scorecards', SCORECARD, '/app/status-board/2026-27-Q1']);
    expect(journey.violations).toEqual([]);
  });
});

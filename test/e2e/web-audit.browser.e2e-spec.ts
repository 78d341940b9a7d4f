import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AdmZip from 'adm-zip';
import Database from 'better-sqlite3';
import type { Download, Page } from 'playwright-core';
import type { ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle, submitAndApprove } from '@quarterly/testing/e2e-fixtures';
import { WebJourney } from '@quarterly/testing/web-journey';

const PEOPLE = [
  { personId: 'a.audit', name: 'Ari Auditor', email: 'ari.auditor@council.example', roles: ['auditor'] },
  { personId: 'n.owner', name: 'Nia Owner', email: 'nia.owner@council.example', roles: ['service-lead'], directorate: 'Place' },
] as const;

/**
 * The auditors' page in a real browser, signed in through the loopback OpenID provider: check
 * every stored event (the same background check as `POST /audit/integrity/verifications`), keep
 * the digest, take a KPI's and a quarter's evidence pack away, and see an edit made directly in
 * the SQLite file named. axe-core checks every page visited.
 */
describe('the audit page in the browser', () => {
  let journey: WebJourney;
  let api: ApiTestApp;

  beforeAll(async () => {
    journey = await WebJourney.start({ accounts: PEOPLE.map((p) => ({ id: p.personId, email: p.email, name: p.name })), now: '2026-07-01T09:00:00Z', sessionSecret: 'audit-journey-session-secret-0123456789' });
    api = journey.api;
    const team = api.as(PRINCIPALS.team);
    await defineKpi(team, 'ENV-01');
    for (const { personId, ...person } of PEOPLE) expectStatus(await team('POST', '/people', { body: { personId, ...person } }), 201);
    await openCycle(api, team, '2026/27-Q1');
    await submitAndApprove(api.as(PRINCIPALS.placeLead), api.as(PRINCIPALS.placeDmt), 'ENV-01', '2026/27-Q1', '44.0');
    await settle(api);
    expect((await api.engine.anchors.anchorPending()).anchors).toHaveLength(1);
  }, 120_000);

  afterAll(async () => {
    await journey?.close();
  });

  afterAll(() => {
    expect(journey.violations).toEqual([]);
  });

  /** Starts a check from the page and reloads it until the check has finished. */
  async function checkEveryEvent(page: Page): Promise<string> {
    await page.getByRole('button', { name: 'Check every event now' }).click();
    await page.waitForURL(`${api.baseUrl}/app/audit#check`);
    for (let attempt = 0; (await page.getByText('The check is running').count()) > 0 && attempt < 100; attempt += 1) {
      await page.waitForTimeout(100);
      await page.goto(`${api.baseUrl}/app/audit`);
    }
    return (await page.locator('main').textContent()) ?? '';
  }

  async function download(page: Page, start: () => Promise<unknown>): Promise<{ name: string; body: Buffer }> {
    const [file] = (await Promise.all([page.waitForEvent('download'), start()])) as [Download, unknown];
    return { name: file.suggestedFilename(), body: readFileSync((await file.path())!) };
  }

  it('an auditor checks every stored event, keeps the digest and takes evidence packs away', async () => {
    const page = await journey.signedIn('ari.auditor@council.example', '/app/kpis');
    await page.getByRole('navigation').getByRole('link', { name: 'Audit', exact: true }).click();
    await page.waitForURL(`${api.baseUrl}/app/audit`);
    await expect(page.locator('main').textContent()).resolves.toContain('No check has run since this server started.');
    await journey.audit(page);

    const report = await checkEveryEvent(page);
    expect(report).toContain('Nothing was changed, removed or reordered');
    expect(report).toMatch(/\d+ events in \d+ streams checked against their hashes, the chain of each stream and 1 anchor\./);
    await journey.audit(page);

    const digest = await download(page, () => page.getByRole('link', { name: "Download the auditors' digest (text file)" }).click());
    expect(digest.name).toMatch(/^quarterly-auditors-digest-\d{8}T\d{6}Z\.txt$/);
    const fromApi = await fetch(`${api.baseUrl}/audit/integrity/digest`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` } });
    expect(digest.body.toString('utf8')).toBe(await fromApi.text());
    expect(digest.body.toString('utf8').trim().split('\n')).toHaveLength(1);

    await page.getByLabel("A KPI's evidence pack").fill('ENV-01');
    const kpiPack = await download(page, () => page.getByRole('button', { name: "Download the KPI's pack" }).click());
    expect(kpiPack.name).toMatch(/^quarterly-evidence-kpi-ENV-01-\d{8}T\d{6}Z\.zip$/);
    const kpiZip = new AdmZip(kpiPack.body);
    expect(kpiZip.getEntries().map((entry) => entry.entryName)).toEqual(expect.arrayContaining(['README.txt', 'manifest.json', 'events.json', 'anchors.json', 'history.csv']));
    const events = JSON.parse(kpiZip.readAsText('events.json')) as Array<{ streamId: string }>;
    expect(new Set(events.map((event) => event.streamId))).toEqual(new Set(['kpi-ENV-01', 'return-ENV-01-2026-27-Q1']));

    await page.goto(`${api.baseUrl}/app/audit`);
    const cyclePack = await download(page, () => page.getByRole('link', { name: '2026/27-Q1' }).click());
    const manifest = JSON.parse(new AdmZip(cyclePack.body).readAsText('manifest.json')) as { streams: Array<{ streamId: string }> };
    expect(manifest.streams.map((stream) => stream.streamId)).toEqual(['cycle-2026-27-Q1', 'return-ENV-01-2026-27-Q1']);

    // The KPI's history page offers the same pack.
    await page.goto(`${api.baseUrl}/app/kpis/ENV-01/history`);
    await expect(page.getByRole('link', { name: "ENV-01's evidence pack (ZIP)" }).getAttribute('href')).resolves.toBe('/app/audit/evidence-packs/kpis/ENV-01');
  });

  it('names a KPI reference that is not one, and answers "page not found" for a KPI that does not exist', async () => {
    const page = await journey.signedIn('ari.auditor@council.example', '/app/audit');
    await page.getByLabel("A KPI's evidence pack").fill('not a kpi!');
    const [refused] = await Promise.all([page.waitForResponse((r) => r.url().includes('/app/audit?kpiId=')), page.getByRole('button', { name: "Download the KPI's pack" }).click()]);
    expect(refused.status()).toBe(400);
    await expect(page.locator('.govuk-error-summary').textContent()).resolves.toContain('"not a kpi!" is not a KPI reference');
    await expect(page.getByLabel("A KPI's evidence pack").inputValue()).resolves.toBe('not a kpi!');
    await journey.audit(page);

    const missing = await page.goto(`${api.baseUrl}/app/audit?kpiId=NOPE-1`);
    expect(missing?.status()).toBe(404);
  });

  it('is for auditors and the performance team: a service lead has no link and gets 403', async () => {
    const page = await journey.signedIn('nia.owner@council.example', '/app/your-returns');
    await expect(page.getByRole('navigation').getByRole('link', { name: 'Audit', exact: true }).count()).resolves.toBe(0);
    for (const path of ['/app/audit', '/app/audit/digest', '/app/audit/evidence-packs/kpis/ENV-01', '/app/audit/evidence-packs/cycles/2026-27-Q1']) {
      expect([path, (await page.request.get(`${api.baseUrl}${path}`)).status()]).toEqual([path, 403]);
    }
    await page.goto(`${api.baseUrl}/app/kpis/ENV-01/history`);
    await expect(page.getByRole('link', { name: /evidence pack/ }).count()).resolves.toBe(0);
  });

  it('names the event an edit made directly in the database changed', async () => {
    const db = new Database(join(api.config.dataDir, 'quarterly.sqlite'));
    const victim = db.prepare("SELECT event_id FROM events WHERE stream_id = 'return-ENV-01-2026-27-Q1' AND type = 'ReturnSubmitted'").get() as { event_id: string };
    db.prepare("UPDATE events SET data = json_set(data, '$.value', '99.9') WHERE event_id = ?").run(victim.event_id);
    db.close();

    const page = await journey.signedIn('ari.auditor@council.example', '/app/audit');
    const report = await checkEveryEvent(page);
    expect(report).toContain('The stored history does not match: 1 problem found');
    const problem = (await page.locator('#problems li').first().textContent()) ?? '';
    expect(problem).toContain('The event was changed after it was recorded');
    expect(problem).toContain(`stream return-ENV-01-2026-27-Q1, revision 1`);
    expect(problem).toContain(victim.event_id);
    await journey.audit(page);
  });
});

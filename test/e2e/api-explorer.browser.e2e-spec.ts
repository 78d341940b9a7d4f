import type { Browser } from 'playwright-core';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { launchHeadlessChromium } from '@quarterly/testing/headless-browser';

describe('the OpenAPI explorer at /docs, in a real browser', () => {
  let api: ApiTestApp;
  let browser: Browser;

  beforeAll(async () => {
    api = await startApiTestApp();
    browser = await launchHeadlessChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('renders every resource group and lets a reader open an operation', async () => {
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    await page.goto(`${api.baseUrl}/docs`);

    for (const tag of ['KPI register', 'Reporting cycles', 'Returns', 'Scorecards', 'People', 'Operations']) {
      await page.locator('.opblock-tag', { hasText: tag }).first().waitFor({ timeout: 15_000 });
    }
    const approval = page.locator('.opblock-summary', { hasText: '/returns/{kpiId}/{period}/approval' }).first();
    await approval.click();
    await page.getByText('Approve the figure (not by the person who submitted it)').first().waitFor();
    await page.getByText('If-Match').first().waitFor();
    expect(await page.locator('.btn.authorize').count()).toBeGreaterThan(0);
    expect(failedRequests).toEqual([]);
  });
});

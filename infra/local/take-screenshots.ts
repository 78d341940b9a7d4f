// Screenshots of the main pages for the README, from a running demo (`npm run demo`):
//   node -r @swc-node/register infra/local/take-screenshots.ts [http://127.0.0.1:3000]
// Each page at desktop width and on a narrow (phone) screen, into docs/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { launchHeadlessChromium } from '../../test/support/headless-browser';
import { signInAtProvider } from '../../test/support/web-journey';

const base = process.argv[2] ?? 'http://127.0.0.1:3000';
const out = 'docs/screenshots';
const SIZES = { desktop: { width: 1280, height: 900 }, narrow: { width: 390, height: 844 } } as const;

async function signedIn(browser: Browser, email: string, size: keyof typeof SIZES, path: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: SIZES[size] })).newPage();
  await page.goto(`${base}${path}`);
  await signInAtProvider(page, email);
  await page.waitForURL(`${base}${path}`);
  return page;
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  process.stdout.write(`${out}/${name}.png\n`);
}

async function main(): Promise<void> {
  const browser = await launchHeadlessChromium();
  try {
    for (const size of ['desktop', 'narrow'] as const) {
      const lead = await signedIn(browser, 'l.price@council.example', size, '/app/your-returns');
      await shoot(lead, `your-returns-${size}`);
      await lead.goto(`${base}/app/returns/PH-01/2026-27-Q2`);
      await lead.getByLabel(/Figure for the rolling 12 months/).fill('1689500');
      await lead.getByLabel('Commentary').fill('Pool closed for 3 weeks in August for retiling.');
      await lead.getByRole('button', { name: 'Send figure' }).click();
      await lead.locator('.govuk-error-summary').waitFor();
      await shoot(lead, `return-off-target-${size}`);
      const dmt = await signedIn(browser, 'd.okafor@council.example', size, '/app/to-review');
      await shoot(dmt, `to-review-${size}`);
      const clt = await signedIn(browser, 's.bennett@council.example', size, '/app/escalations');
      await shoot(clt, `escalations-${size}`);
      // The read side, as the auditor sees it: a scorecard (with its small multiples), a KPI's page and its history.
      const auditor = await signedIn(browser, 'r.hughes@council.example', size, '/app/scorecards');
      await auditor.goto(`${base}${(await auditor.locator('main a[href^="/app/scorecards/"]').first().getAttribute('href'))!}`);
      // The small multiples load lazily: a full-page screenshot asks for them all now.
      await auditor.locator('img[loading="lazy"]').evaluateAll((images) => images.forEach((img) => img.setAttribute('loading', 'eager')));
      await auditor.waitForLoadState('networkidle');
      await shoot(auditor, `scorecard-${size}`);
      const kpiHref = (await auditor.locator('tr[data-kpi] th a').first().getAttribute('href'))!;
      await auditor.goto(`${base}${kpiHref}`);
      if (size === 'desktop') await shoot(auditor, 'kpi-page-desktop');
      await auditor.goto(`${base}${kpiHref}/history`);
      await shoot(auditor, `kpi-history-${size}`);
      if (size === 'desktop') {
        // The performance team's targets form, the green target missing: refused on its field.
        const team = await signedIn(browser, 'p.team@council.example', size, `${kpiHref}/targets`);
        await team.getByLabel('Green and amber thresholds').check();
        await team.getByLabel('Amber target').fill('85');
        await team.getByRole('button', { name: 'Save the targets' }).click();
        await team.locator('.govuk-error-summary').waitFor();
        await shoot(team, 'kpi-targets-form-desktop');
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

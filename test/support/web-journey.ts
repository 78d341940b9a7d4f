import { AxeBuilder } from '@axe-core/playwright';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { freePort, startApiTestApp, type ApiTestApp, type ApiTestAppOptions } from './api-test-app';
import { launchHeadlessChromium } from './headless-browser';
import { startIdentityProvider, type RunningIdentityProvider } from './identity-provider';

/** The WCAG 2.0, 2.1 and 2.2 A and AA rules of axe-core. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'];

/** Runs axe-core on the page as it stands; answers the violations, one line each (none expected). */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_AA_TAGS).analyze();
  return results.violations.map((v) => `${page.url()} ${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** At the demo identity provider's sign-in page: enter the account's e-mail address. */
export async function signInAtProvider(page: Page, email: string): Promise<void> {
  await page.waitForURL(/\/interaction\//);
  await page.getByLabel('E-mail address').fill(email);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A person the loopback OpenID provider knows (the directory entry is the test's own to make). */
export interface JourneyAccount {
  readonly id: string;
  readonly email: string;
  readonly name: string;
}

/**
 * What every browser journey needs: the loopback OpenID provider with the test's accounts, the
 * API signed in through it (accounts matched by e-mail), headless Chromium, and axe-core over
 * every page the journey audits. `close()` ends all of it.
 */
export class WebJourney {
  /** Every page path the journey audited, and what axe found there (none expected). */
  readonly audited = new Set<string>();
  readonly violations: string[] = [];
  private readonly contexts: BrowserContext[] = [];
  /** Contexts with JavaScript off: axe runs as a script, so their pages are checked elsewhere. */
  private readonly unscripted = new WeakSet<BrowserContext>();
  private auditor: Page | undefined;

  private constructor(
    readonly api: ApiTestApp,
    readonly idp: RunningIdentityProvider,
    readonly browser: Browser,
  ) {}

  /**
   * `env`: further configuration (e.g. `COUNCIL_NAME`); `reminders`: run the reminder worker
   * against this SMTP server (see `startApiTestApp`).
   */
  static async start(options: {
    accounts: readonly JourneyAccount[];
    now: string;
    sessionSecret: string;
    env?: Readonly<Record<string, string>>;
    reminders?: ApiTestAppOptions['reminders'];
  }): Promise<WebJourney> {
    const port = await freePort();
    const idp = await startIdentityProvider(options.accounts.map(({ id, email, name }) => ({ id, email, name })), `http://127.0.0.1:${port}`);
    try {
      const api = await startApiTestApp({
        now: options.now,
        port,
        ...(options.reminders ? { reminders: options.reminders } : {}),
        env: {
          OIDC_DISCOVERY_URL: idp.issuer,
          OIDC_CLIENT_ID: idp.clientId,
          OIDC_CLIENT_SECRET: idp.clientSecret,
          OIDC_IDENTITY_CLAIM: 'email',
          OIDC_IDENTITY_MATCH: 'email',
          SESSION_SECRET: options.sessionSecret,
          RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
          ...options.env,
        },
      });
      return new WebJourney(api, idp, await launchHeadlessChromium());
    } catch (error) {
      await idp.stop();
      throw error;
    }
  }

  /** A page in a new browser context, not signed in. */
  async open(options: BrowserContextOptions = {}): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
    context.setDefaultTimeout(15_000);
    this.contexts.push(context);
    if (options.javaScriptEnabled === false) this.unscripted.add(context);
    return context.newPage();
  }

  /** A new browser context signed in as `email`, on `path` (sign-in returns there). */
  async signedIn(email: string, path: string, options: BrowserContextOptions = {}): Promise<Page> {
    const page = await this.open(options);
    await page.goto(`${this.api.baseUrl}${path}`);
    await signInAtProvider(page, email);
    await page.waitForURL(`${this.api.baseUrl}${path}`);
    return page;
  }

  /**
   * Runs axe-core on the page as it stands and keeps what it found. Only Quarterly's own pages
   * (not the identity provider's). A page seen without JavaScript is checked as the same HTML in
   * a scripted page of the same origin (its stylesheets load as they did).
   */
  async audit(page: Page): Promise<void> {
    if (!page.url().startsWith(this.api.baseUrl)) return;
    this.audited.add(new URL(page.url()).pathname);
    if (!this.unscripted.has(page.context())) {
      this.violations.push(...(await accessibilityViolations(page)));
      return;
    }
    this.auditor ??= await this.open();
    await this.auditor.goto(`${this.api.baseUrl}/app/signed-out`);
    await this.auditor.setContent(await page.content(), { waitUntil: 'load' });
    this.violations.push(...(await accessibilityViolations(this.auditor)).map((line) => `${page.url()} (no JavaScript): ${line}`));
  }

  async close(): Promise<void> {
    for (const context of this.contexts) await context.close().catch(() => undefined);
    await this.browser.close();
    await this.api.close();
    await this.idp.stop();
  }
}

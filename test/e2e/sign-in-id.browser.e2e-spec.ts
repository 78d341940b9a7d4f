import type { Browser, BrowserContext, Page } from 'playwright-core';
import { freePort, startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { launchHeadlessChromium } from '@quarterly/testing/headless-browser';
import { startIdentityProvider, type RunningIdentityProvider } from '@quarterly/testing/identity-provider';
import { signInAtProvider } from '@quarterly/testing/web-journey';

// Entra ID's stable id for a person is `oid`, a GUID the council's own person ids know nothing of.
const PAT_OID = '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69';
const STRANGER_OID = 'c0ffee00-0000-4000-8000-000000000001';

/**
 * OIDC_IDENTITY_CLAIM=oid with OIDC_IDENTITY_MATCH=sign-in-id, signing in through the loopback
 * OpenID provider: its ID token's `oid` is found as a person's sign-in id in the directory. The
 * provider's e-mail addresses differ from the directory's, so only the sign-in id can match.
 */
describe('signing in by the directory sign-in id (Entra ID oid)', () => {
  let idp: RunningIdentityProvider;
  let api: ApiTestApp;
  let browser: Browser;
  let team: ApiClient;
  const contexts: BrowserContext[] = [];

  async function signedIn(email: string, path: string): Promise<Page> {
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    contexts.push(context);
    const page = await context.newPage();
    await page.goto(`${api.baseUrl}${path}`);
    await signInAtProvider(page, email);
    return page;
  }

  beforeAll(async () => {
    const port = await freePort();
    idp = await startIdentityProvider(
      [
        { id: PAT_OID, email: 'pat@login.council.example', name: 'Pat (as the provider knows her)' },
        { id: STRANGER_OID, email: 'stranger@login.council.example', name: 'A Stranger' },
      ],
      `http://127.0.0.1:${port}`,
    );
    api = await startApiTestApp({
      port,
      env: {
        OIDC_DISCOVERY_URL: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        OIDC_IDENTITY_CLAIM: 'oid',
        OIDC_IDENTITY_MATCH: 'sign-in-id',
        SESSION_SECRET: 'sign-in-id-session-secret-0123456789abcdef',
        RATE_LIMIT_SIGN_IN_PER_MINUTE: '1000',
      },
    });
    browser = await launchHeadlessChromium();
    team = api.as(PRINCIPALS.team);
    expectStatus(
      await team('POST', '/people', { body: { personId: 'p.perf', name: 'Pat Performance', email: 'pat.performance@council.example', roles: ['performance-team'], signInId: PAT_OID } }),
      201,
    );
    await settle(api);
  });

  afterAll(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await api?.close();
    await idp?.stop();
  });

  it("finds the person whose sign-in id is the token's oid, with the directory's name and roles", async () => {
    const page = await signedIn('pat@login.council.example', '/app/kpis');
    await page.waitForURL(`${api.baseUrl}/app/kpis`);
    await expect(page.locator('.quarterly-signed-in-as').textContent()).resolves.toBe('Pat Performance');
    await expect(page.getByRole('heading', { level: 1 }).first().textContent()).resolves.toMatch(/KPI/i);
  });

  it('refuses an oid that is nobody\'s sign-in id, saying Quarterly does not know them', async () => {
    const page = await signedIn('stranger@login.council.example', '/app/kpis');
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Quarterly does not know you yet');
  });

  it('refuses a second person with the same sign-in id (409 naming the holder), and a change to it', async () => {
    const duplicate = await team('POST', '/people', {
      body: { personId: 'p.other', name: 'Pat Other', email: 'pat.other@council.example', roles: ['performance-team'], signInId: PAT_OID },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'sign_in_id_taken', detail: `signInId: ${PAT_OID} is already the sign-in id of p.perf; a sign-in id names one person of the directory` });
    expectStatus(await team('POST', '/people', { body: { personId: 'p.other', name: 'Pat Other', email: 'pat.other@council.example', roles: ['performance-team'] } }), 201);
    const taken = await team('PATCH', '/people/p.other', { body: { signInId: PAT_OID } });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({ code: 'sign_in_id_taken' });
    // Another id is free.
    expectStatus(await team('PATCH', '/people/p.other', { body: { signInId: STRANGER_OID } }), 200);
    await settle(api);
    const stranger = await signedIn('stranger@login.council.example', '/app/kpis');
    await stranger.waitForURL(`${api.baseUrl}/app/kpis`);
    await expect(stranger.locator('.quarterly-signed-in-as').textContent()).resolves.toBe('Pat Other');
  });
});

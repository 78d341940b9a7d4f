import { createHash, randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addPerson, parseAddPersonArguments } from '../../apps/cli/src/commands/add-person.command';
import { freePort, startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';
import { launchHeadlessChromium } from '@quarterly/testing/headless-browser';
import { startIdentityProvider, type RunningIdentityProvider } from '@quarterly/testing/identity-provider';
import { signInAtProvider } from '@quarterly/testing/web-journey';

// Entra ID's stable id for a person is `oid`, a GUID the council's own person ids know nothing of.
const PAT_OID = '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69';
const STRANGER_OID = 'c0ffee00-0000-4000-8000-000000000001';
const NOBODY_OID = 'c0ffee00-0000-4000-8000-000000000002';

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

/**
 * The JSON API in OIDC mode (OIDC_JWKS_URL) with a real ID token from the loopback provider: the
 * bearer guard reads its `oid` and finds the person by sign-in id. The first administrator comes
 * in as a council's would, through `add-person --sign-in-id`.
 */
describe('bearer tokens by the directory sign-in id (Entra ID oid)', () => {
  let idp: RunningIdentityProvider;
  let api: ApiTestApp;
  let browser: Browser;
  let appBaseUrl: string;

  /** The authorization-code flow with PKCE in Chromium, the code exchanged for the ID token at the token endpoint. */
  async function idTokenFor(email: string): Promise<string> {
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { authorization_endpoint: string; token_endpoint: string };
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const redirectUri = `${appBaseUrl}/app/auth/callback`;
    const context = await browser.newContext();
    context.setDefaultTimeout(15_000);
    let received: (url: URL) => void = () => undefined;
    const callback = new Promise<URL>((resolve) => (received = resolve));
    // The provider redirects there (a route handler does not see a redirect's target; the event
    // does). This API has no web sign-in configured, so nothing else redeems the code.
    context.on('request', (request) => {
      if (request.url().startsWith(redirectUri)) received(new URL(request.url()));
    });
    const page = await context.newPage();
    const authorize = new URL(discovery.authorization_endpoint);
    for (const [name, value] of Object.entries({ client_id: idp.clientId, response_type: 'code', scope: 'openid email profile', redirect_uri: redirectUri, state: randomBytes(8).toString('hex'), nonce: randomBytes(8).toString('hex'), code_challenge: challenge, code_challenge_method: 'S256' })) {
      authorize.searchParams.set(name, value);
    }
    await page.goto(authorize.href);
    await signInAtProvider(page, email);
    const returned = await Promise.race([callback, page.waitForTimeout(15_000).then(async () => { throw new Error(`no redirect to the callback; the page is at ${page.url()}: ${(await page.content()).slice(0, 2000)}`); })]);
    await context.close();
    const code = returned.searchParams.get('code');
    if (code === null) throw new Error(`the provider sent no authorization code: ${returned.href}`);
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${idp.clientId}:${idp.clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
    });
    const tokens = (await response.json()) as { id_token?: string };
    if (!tokens.id_token) throw new Error(`no ID token: ${JSON.stringify(tokens)}`);
    return tokens.id_token;
  }
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    const port = await freePort();
    appBaseUrl = `http://127.0.0.1:${port}`;
    idp = await startIdentityProvider(
      [
        { id: PAT_OID, email: 'pat@login.council.example', name: 'Pat (as the provider knows her)' },
        { id: STRANGER_OID, email: 'stranger@login.council.example', name: 'A Stranger' },
        { id: NOBODY_OID, email: 'nobody@login.council.example', name: 'Nobody Known' },
      ],
      appBaseUrl,
    );
    const discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as { jwks_uri: string };
    api = await startApiTestApp({
      port,
      env: { OIDC_JWKS_URL: discovery.jwks_uri, OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: idp.clientId, OIDC_IDENTITY_CLAIM: 'oid', OIDC_IDENTITY_MATCH: 'sign-in-id' },
    });
    browser = await launchHeadlessChromium();
    await addPerson(api.engine, parseAddPersonArguments(['p.perf', '--name', 'Pat Performance', '--email', 'pat.performance@council.example', '--sign-in-id', PAT_OID]), new Date());
    await settle(api);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await idp?.stop();
  });

  it("lets the ID token's oid act as the person holding that sign-in id, who is recorded as the actor", async () => {
    const token = await idTokenFor('pat@login.council.example');
    const registered = await call(token, 'POST', '/people', { personId: 'a.audit', name: 'Ari Auditor', email: 'ari@council.example', roles: ['auditor'], signInId: STRANGER_OID });
    expect(registered.status).toBe(201);
    const [event] = await api.engine.store.readStream('person-a.audit');
    expect(event).toMatchObject({ type: 'PersonRegistered', metadata: { actor: 'p.perf' }, data: { signInId: STRANGER_OID } });
  });

  it('refuses through the API a sign-in id another person holds, naming them', async () => {
    const token = await idTokenFor('pat@login.council.example');
    const duplicate = await call(token, 'POST', '/people', { personId: 'b.twin', name: 'Bo Twin', email: 'bo@council.example', roles: ['auditor'], signInId: PAT_OID });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body).toMatchObject({ code: 'sign_in_id_taken' });
    expect(String(duplicate.body.detail)).toContain('is already the sign-in id of p.perf');
    expect(await api.engine.store.readStream('person-b.twin')).toEqual([]);
  });

  it("uses the directory's roles for the oid, refuses an oid nobody holds (401) and a deactivated holder (403)", async () => {
    await settle(api);
    const auditor = await idTokenFor('stranger@login.council.example');
    expect((await call(auditor, 'GET', '/people')).status).toBe(200);
    expect((await call(auditor, 'POST', '/people', { personId: 'c.x', name: 'C X', email: 'cx@council.example', roles: ['auditor'] })).status).toBe(403);
    const nobody = await call(await idTokenFor('nobody@login.council.example'), 'GET', '/people');
    expect(nobody.status).toBe(401);
    expect(nobody.body.detail).toBe(`${NOBODY_OID} is not in Quarterly's directory of people: ask the performance team to add you`);
    expect((await call(await idTokenFor('pat@login.council.example'), 'POST', '/people/a.audit/deactivation', { reason: 'Left the council.' })).status).toBe(200);
    expect((await call(auditor, 'GET', '/people')).status).toBe(403);
  });
});

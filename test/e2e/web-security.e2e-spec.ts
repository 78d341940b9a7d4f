import { freePort, startApiTestApp, type ApiTestApp, type TestPrincipal } from '@quarterly/testing/api-test-app';
import { startIdentityProvider, type RunningIdentityProvider } from '@quarterly/testing/identity-provider';

const team: TestPrincipal = { id: 'p.team', roles: ['performance-team'] };

/**
 * The HTTP-level protections of the pages and the API, without a browser: security headers and
 * the content security policy, no X-Powered-By, the session cookie's flags, JSON-only bodies on
 * the API, the rate limit on sign-in (counted in Redis), and a 500 page whose reference is logged.
 */
describe('security of the pages and the API', () => {
  let idp: RunningIdentityProvider;
  let api: ApiTestApp;

  beforeAll(async () => {
    const port = await freePort();
    idp = await startIdentityProvider([{ id: 's.lead', email: 'sam.lead@council.example', name: 'Sam Lead' }], `http://127.0.0.1:${port}`);
    api = await startApiTestApp({
      port,
      env: {
        OIDC_DISCOVERY_URL: idp.issuer,
        OIDC_CLIENT_ID: idp.clientId,
        OIDC_CLIENT_SECRET: idp.clientSecret,
        SESSION_SECRET: 'security-test-session-secret-0123456789ab',
        RATE_LIMIT_SIGN_IN_PER_MINUTE: '3',
        RATE_LIMIT_API_WRITES_PER_MINUTE: '3',
      },
    });
  });

  afterAll(async () => {
    await api?.close();
    await idp?.stop();
  });

  it('sends a content security policy that allows no inline script, and no X-Powered-By', async () => {
    const response = await fetch(`${api.baseUrl}/app/signed-out`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`form-action 'self' ${idp.issuer}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect((await fetch(`${api.baseUrl}/health`)).headers.get('x-powered-by')).toBeNull();
    expect(await response.text()).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it('serves the GOV.UK assets itself', async () => {
    const css = await fetch(`${api.baseUrl}/app/assets/govuk-frontend.min.css`);
    expect(css.status).toBe(200);
    const text = await css.text();
    expect(text).toContain('.govuk-button');
    expect(text).not.toContain('GDS Transport,arial');
    expect((await fetch(`${api.baseUrl}/app/assets/govuk-frontend.min.js`)).status).toBe(200);
    expect((await fetch(`${api.baseUrl}/app/assets/app/enhance.mjs`)).status).toBe(200);
  });

  it('starts sign-in with PKCE and a session cookie that is HttpOnly and SameSite=Lax', async () => {
    const response = await fetch(`${api.baseUrl}/app/sign-in?returnTo=/app/your-returns`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin).toBe(idp.issuer);
    expect(location.searchParams.get('code_challenge_method')).toBe('S256');
    expect(location.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(location.searchParams.get('state')).toBeTruthy();
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^quarterly-session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('answers a callback the provider did not send (wrong state) with a page that offers to start again, not a 500', async () => {
    const started = await fetch(`${api.baseUrl}/app/sign-in?returnTo=/app/your-returns`, { redirect: 'manual' });
    const cookie = (started.headers.get('set-cookie') ?? '').split(';')[0]!;
    const callback = await fetch(`${api.baseUrl}/app/auth/callback?code=forged&state=not-the-state`, { headers: { cookie }, redirect: 'manual' });
    expect(callback.status).toBe(400);
    expect(await callback.text()).toContain('Sign-in did not work');
  });

  it('sends a page request without a session to sign-in, remembering the page', async () => {
    const response = await fetch(`${api.baseUrl}/app/returns/ENV-01/2026-27-Q2`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/app/sign-in?returnTo=%2Fapp%2Freturns%2FENV-01%2F2026-27-Q2');
  });

  it('refuses a body that is not JSON on the JSON API (415), before reading it', async () => {
    const token = await api.tokenFor(team);
    const form = await fetch(`${api.baseUrl}/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'personId=x.forged&name=X&email=x%40council.example&roles=performance-team',
    });
    expect(form.status).toBe(415);
    expect(form.headers.get('content-type')).toContain('application/problem+json');
    expect(await form.json()).toMatchObject({ code: 'unsupported_media_type' });
    const plain = await fetch(`${api.baseUrl}/people`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' }, body: '{}' });
    expect(plain.status).toBe(415);
    expect((await api.as(team)('GET', '/people/x.forged')).status).toBe(404);
  });

  it("limits the JSON API's writes per person, in Redis (429 with Retry-After, as problem details)", async () => {
    const writer = api.as({ id: 'w.writer', roles: ['performance-team'] });
    const reader = api.as(team);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      statuses.push((await writer('POST', '/people', { body: { personId: `w.new${i}`, name: 'New', email: `new${i}@council.example`, roles: ['auditor'] } })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
    const refused = await writer('POST', '/people', { body: { personId: 'w.new9', name: 'New', email: 'new9@council.example', roles: ['auditor'] } });
    expect(refused.body).toMatchObject({ status: 429, code: 'too_many_requests' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await reader('GET', '/people/w.new3')).status).toBe(404);
    // Reads are not limited, and another person has their own count.
    expect((await writer('GET', '/people')).status).toBe(200);
  });

  it('limits sign-in attempts per address, in Redis (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) statuses.push((await fetch(`${api.baseUrl}/app/sign-in`, { redirect: 'manual' })).status);
    // Three attempts a minute, counted since the first test began (the callback counts too):
    // whatever is left of them is allowed, then every attempt is refused.
    const allowed = statuses.filter((status) => status === 303).length;
    expect(allowed).toBeLessThanOrEqual(3);
    expect(statuses).toEqual([...Array<number>(allowed).fill(303), ...Array<number>(5 - allowed).fill(429)]);
    const refused = await fetch(`${api.baseUrl}/app/sign-in`, { redirect: 'manual' });
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await refused.text()).toContain('Too many requests');
  });
});

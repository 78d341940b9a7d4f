import { SignJWT } from 'jose';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

// The directory, not the token, says who may do what: a correctly signed token for someone the
// directory does not hold, or holds as deactivated, gets nowhere; claimed roles count for nothing.
describe('bearer tokens are checked against the directory', () => {
  let api: ApiTestApp;
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as { code?: string; detail?: string } };
  };
  /** A token signed with the server's secret, claiming whatever it likes. */
  const forged = (subject: string, claims: Record<string, unknown>) => {
    const auth = api.config.auth;
    if (auth.mode !== 'shared-secret') throw new Error('shared-secret mode expected');
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(subject)
      .setIssuer(auth.issuer)
      .setAudience(auth.audience)
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(auth.secret));
  };

  beforeAll(async () => {
    api = await startApiTestApp();
    const team = api.as(PRINCIPALS.team);
    expectStatus(await team('POST', '/people', { body: { personId: 'l.leaver', name: 'Lee Leaver', email: 'lee@council.example', roles: ['performance-team'] } }), 201);
    expectStatus(await team('POST', '/people', { body: { personId: 'r.reader', name: 'Ria Reader', email: 'ria@council.example', roles: ['auditor'] } }), 201);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('refuses a signed token for a person the directory does not hold (401, saying so)', async () => {
    const response = await call(await forged('n.nobody', { roles: ['performance-team'] }), 'GET', '/kpis');
    expect(response.status).toBe(401);
    expect(response.body.detail).toBe("n.nobody is not in Quarterly's directory of people: ask the performance team to add you");
  });

  it("uses the directory's roles, not the token's", async () => {
    const token = await forged('r.reader', { roles: ['performance-team'], directorate: 'Place' });
    expect((await call(token, 'GET', '/people')).status).toBe(200); // auditors read the directory
    const write = await call(token, 'POST', '/kpis', { kpiId: 'X-01' });
    expect(write.status).toBe(403);
    expect(write.body.detail).toBe('this action needs one of the roles: performance-team');
  });

  it('refuses a deactivated person at once, with the token they already hold (403)', async () => {
    const token = await api.tokenFor({ id: 'l.leaver', roles: ['performance-team'] });
    expect((await call(token, 'GET', '/people')).status).toBe(200);
    expectStatus(await api.as(PRINCIPALS.team)('POST', '/people/l.leaver/deactivation', { body: { reason: 'Left the council.' } }), 200);
    const refused = await call(token, 'GET', '/people');
    expect(refused.status).toBe(403);
    expect(refused.body.detail).toBe('l.leaver was deactivated in the directory and can no longer use Quarterly');
    expect((await call(token, 'POST', '/people', { personId: 'x.y', name: 'X', email: 'x@council.example', roles: ['auditor'] })).status).toBe(403);
  });
});

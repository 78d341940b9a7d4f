import { decodeJwt } from 'jose';
import { BearerTokenVerifier, loadAppConfig } from '@quarterly/platform';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';
import { CannotMintTokenError, mintToken } from './mint-token.command';

describe('mint-token against a real SQLite engine', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite', now: '2026-07-01T09:00:00Z' });
    const team = api.as(PRINCIPALS.team);
    const register = (body: Record<string, unknown>) => team('POST', '/people', { body });
    // A person's directorate must be one the register holds.
    await defineKpi(team, 'ENV-01');
    expectStatus(await register({ personId: 'd.place', name: 'Dana Place', email: 'dana@council.example', roles: ['dmt', 'service-lead'], directorate: 'Place' }), 201);
    expectStatus(await register({ personId: 'a.audit', name: 'Ada Audit', email: 'ada@council.example', roles: ['auditor'] }), 201);
    expectStatus(await register({ personId: 'gone', name: 'Gone Away', email: 'gone@council.example', roles: ['performance-team'] }), 201);
    expectStatus(await team('POST', '/people/gone/deactivation', { body: { reason: 'Left the council.' } }), 200);
    // Roles changed after registration: the token must carry the directory's current roles.
    const current = await team('GET', '/people/a.audit');
    expectStatus(await team('PATCH', '/people/a.audit', { body: { roles: ['auditor', 'performance-team'] }, headers: { 'if-match': current.headers.get('etag')! } }), 200);
  });

  afterAll(async () => {
    await api?.close();
  });

  it("gives a token the verifier accepts, naming the person and nothing the directory decides", async () => {
    const verifier = new BearerTokenVerifier(api.config.auth);
    await expect(verifier.verify(await mintToken(api.engine, api.config, 'd.place'))).resolves.toEqual({ identity: 'd.place' });
    const claims = decodeJwt(await mintToken(api.engine, api.config, 'a.audit'));
    expect(claims).toMatchObject({ sub: 'a.audit', name: 'Ada Audit' });
    expect(claims).not.toHaveProperty('roles');
    expect(claims).not.toHaveProperty('directorate');
  });

  it('lasts the hours asked for (12 by default)', async () => {
    const lifetime = (token: string) => {
      const { exp, iat } = decodeJwt(token);
      return exp! - iat!;
    };
    expect(lifetime(await mintToken(api.engine, api.config, 'd.place'))).toBe(12 * 3600);
    expect(lifetime(await mintToken(api.engine, api.config, 'd.place', 0.5))).toBe(1800);
  });

  it("is accepted by the running API with the directory's current roles", async () => {
    const call = async (personId: string, path: string) =>
      (await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${await mintToken(api.engine, api.config, personId)}` } })).status;
    expect(await call('a.audit', '/people')).toBe(200);
    expect(await call('d.place', '/kpis')).toBe(200);
    expect(await call('d.place', '/people')).toBe(403);
  });

  it('refuses unknown and deactivated people, and OIDC mode', async () => {
    await expect(mintToken(api.engine, api.config, 'nobody')).rejects.toThrow(new CannotMintTokenError('no person nobody in the directory'));
    await expect(mintToken(api.engine, api.config, 'gone')).rejects.toThrow(new CannotMintTokenError('gone is deactivated'));
    const oidc = loadAppConfig({ OIDC_JWKS_URL: 'http://127.0.0.1:9/jwks', OIDC_ISSUER: 'https://login.council.example' });
    await expect(mintToken(api.engine, oidc, 'd.place')).rejects.toThrow(/OIDC provider/);
  });
});

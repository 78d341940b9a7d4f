import { DEVELOPMENT_JWT_SECRET, InvalidConfigurationError, loadAppConfig } from './app-config';

describe('loadAppConfig', () => {
  it('gives the embedded mode when nothing is set', () => {
    const config = loadAppConfig({});
    expect(config.store).toBe('sqlite');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.worker).toBe('embedded');
    expect(config.auth).toMatchObject({ mode: 'shared-secret', secret: DEVELOPMENT_JWT_SECRET, usingDevelopmentSecret: true });
    expect(config.dataDir).toMatch(/\.data$/);
    expect(config.redis).toEqual({ kind: 'url', url: 'redis://127.0.0.1:63799' });
  });

  it('names the variable of every problem at once', () => {
    const attempt = () => loadAppConfig({ QUARTERLY_STORE: 'postgres', PORT: 'eighty', REDIS_URL: 'http://x', JWT_SECRET: 'short' });
    expect(attempt).toThrow(InvalidConfigurationError);
    try {
      attempt();
    } catch (error) {
      const variables = (error as InvalidConfigurationError).problems.map((p) => p.variable).sort();
      expect(variables).toEqual(['DATABASE_URL', 'JWT_SECRET', 'PORT', 'REDIS_URL']);
      expect((error as Error).message).toContain('DATABASE_URL: is required when QUARTERLY_STORE=postgres');
    }
  });

  it('leaves the projections to apps/worker only with a shared database and the worker on its own', () => {
    expect(loadAppConfig({}).projections).toBe('api');
    const postgres = { QUARTERLY_STORE: 'postgres', DATABASE_URL: 'postgres://127.0.0.1/quarterly' };
    expect(loadAppConfig({ ...postgres, QUARTERLY_WORKER: 'off', QUARTERLY_PROJECTIONS: 'worker' }).projections).toBe('worker');
    expect(() => loadAppConfig({ QUARTERLY_WORKER: 'off', QUARTERLY_PROJECTIONS: 'worker' })).toThrow(/QUARTERLY_PROJECTIONS: can be worker only with a shared database/);
    expect(() => loadAppConfig({ ...postgres, QUARTERLY_PROJECTIONS: 'worker' })).toThrow(/QUARTERLY_PROJECTIONS: can be worker only with QUARTERLY_WORKER=off/);
    expect(() => loadAppConfig({ QUARTERLY_PROJECTIONS: 'thread' })).toThrow(/QUARTERLY_PROJECTIONS: must be one of api, worker/);
  });

  it('refuses an unknown store with the allowed values', () => {
    expect(() => loadAppConfig({ QUARTERLY_STORE: 'mongodb' })).toThrow(/QUARTERLY_STORE: must be one of sqlite, postgres, eventstoredb/);
  });

  it('needs EVENTSTORE_URL and DATABASE_URL for the EventStoreDB mode', () => {
    expect(() => loadAppConfig({ QUARTERLY_STORE: 'eventstoredb', DATABASE_URL: 'postgres://127.0.0.1/q' })).toThrow(/EVENTSTORE_URL: is required/);
    const config = loadAppConfig({
      QUARTERLY_STORE: 'eventstoredb',
      DATABASE_URL: 'postgres://127.0.0.1/q',
      EVENTSTORE_URL: 'esdb://127.0.0.1:2113?tls=false',
    });
    expect(config.eventStoreUrl).toBe('esdb://127.0.0.1:2113?tls=false');
  });

  it('switches to OIDC verification when a JWKS URL is given, and needs the issuer', () => {
    expect(() => loadAppConfig({ OIDC_JWKS_URL: 'https://login.example/jwks' })).toThrow(/OIDC_ISSUER/);
    const config = loadAppConfig({ OIDC_JWKS_URL: 'https://login.example/jwks', OIDC_ISSUER: 'https://login.example' });
    expect(config.auth).toEqual({
      mode: 'oidc',
      jwksUrl: 'https://login.example/jwks',
      issuer: 'https://login.example',
      audience: 'quarterly-api',
      // Entra ID's stable user id, not its per-application `sub`.
      identity: { claim: 'oid', matches: 'person-id' },
    });
    expect(loadAppConfig({ OIDC_JWKS_URL: 'https://login.example/jwks', OIDC_ISSUER: 'https://login.example', OIDC_IDENTITY_CLAIM: 'email', OIDC_IDENTITY_MATCH: 'email' }).auth.identity).toEqual({ claim: 'email', matches: 'email' });
    expect(() => loadAppConfig({ OIDC_JWKS_URL: 'https://login.example/jwks', OIDC_ISSUER: 'https://login.example', OIDC_IDENTITY_MATCH: 'upn' })).toThrow(/OIDC_IDENTITY_MATCH: must be one of person-id, email, sign-in-id/);
    expect(loadAppConfig({ OIDC_JWKS_URL: 'https://login.example/jwks', OIDC_ISSUER: 'https://login.example', OIDC_IDENTITY_MATCH: 'sign-in-id' }).auth.identity).toEqual({ claim: 'oid', matches: 'sign-in-id' });
    expect(loadAppConfig({}).auth.identity).toEqual({ claim: 'sub', matches: 'person-id' });
  });

  it('configures web sign-in only with a client id, and then needs the discovery URL', () => {
    expect(loadAppConfig({}).web.signIn).toBeUndefined();
    expect(() => loadAppConfig({ OIDC_CLIENT_ID: 'quarterly-web' })).toThrow(/OIDC_DISCOVERY_URL: is required when OIDC_CLIENT_ID is set/);
    const web = loadAppConfig({ OIDC_CLIENT_ID: 'quarterly-web', OIDC_DISCOVERY_URL: 'https://login.example', OIDC_IDENTITY_CLAIM: 'email', OIDC_IDENTITY_MATCH: 'email', PUBLIC_BASE_URL: 'https://quarterly.council.example' }).web;
    expect(web).toMatchObject({
      signIn: { discoveryUrl: 'https://login.example', clientId: 'quarterly-web', identity: { claim: 'email', matches: 'email' } },
      secureCookies: true,
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 10,
      trustProxy: false,
    });
    expect(loadAppConfig({ TRUST_PROXY: '1' }).web.trustProxy).toBe(1);
    expect(loadAppConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).web.trustProxy).toBe('loopback, 10.0.0.0/8');
    expect(() => loadAppConfig({ SESSION_SECRET: 'short' })).toThrow(/SESSION_SECRET: must be at least 32 characters long/);
    expect(loadAppConfig({}).web.secureCookies).toBe(false);
  });

  it('reads booleans strictly', () => {
    expect(loadAppConfig({ QUARTERLY_DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(() => loadAppConfig({ QUARTERLY_DEMO_DATA: 'maybe' })).toThrow(/QUARTERLY_DEMO_DATA: must be true or false/);
  });
});

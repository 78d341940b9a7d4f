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
    expect(config.auth).toEqual({ mode: 'oidc', jwksUrl: 'https://login.example/jwks', issuer: 'https://login.example', audience: 'quarterly-api' });
  });

  it('reads booleans strictly', () => {
    expect(loadAppConfig({ QUARTERLY_DEMO_DATA: 'true' }).demoData).toBe(true);
    expect(() => loadAppConfig({ QUARTERLY_DEMO_DATA: 'maybe' })).toThrow(/QUARTERLY_DEMO_DATA: must be true or false/);
  });
});

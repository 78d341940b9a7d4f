import { InvalidConfigurationError, loadAppConfig } from './app-config';
import { redisConnectionOptions } from './redis-connection-options';

/** The problem messages of a configuration that must be refused (fails if it is accepted). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof InvalidConfigurationError) return error.problems.map((p) => p.message);
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('Redis connection settings', () => {
  describe('a single server (REDIS_URL)', () => {
    it('keeps the URL, and gives ioredis its parts with maxRetriesPerRequest: null for BullMQ', () => {
      const { redis } = loadAppConfig({ REDIS_URL: 'redis://quarterly:s%40cret@redis.internal:6380/2' });
      expect(redis).toEqual({ kind: 'url', url: 'redis://quarterly:s%40cret@redis.internal:6380/2' });
      expect(redisConnectionOptions(redis)).toEqual({
        host: 'redis.internal',
        port: 6380,
        username: 'quarterly',
        password: 's@cret',
        db: 2,
        maxRetriesPerRequest: null,
      });
    });

    it('uses port 6379 when none is given, TLS for rediss://, and unbracketed IPv6 hosts', () => {
      expect(redisConnectionOptions({ kind: 'url', url: 'rediss://cache.example' })).toEqual({
        host: 'cache.example',
        port: 6379,
        tls: {},
        maxRetriesPerRequest: null,
      });
      expect(redisConnectionOptions({ kind: 'url', url: 'redis://[::1]:7000' })).toMatchObject({ host: '::1', port: 7000 });
    });

    it('refuses a URL that is not redis:// or whose path is not a database number', () => {
      expect(problemsOf({ REDIS_URL: 'http://x' })).toEqual(['REDIS_URL: must start with redis:// or rediss://']);
      expect(problemsOf({ REDIS_URL: 'not a url' })).toEqual(['REDIS_URL: is not a valid URL']);
      expect(problemsOf({ REDIS_URL: 'redis://x/queues' })).toEqual(['REDIS_URL: its path must be a database number (got "/queues")']);
    });
  });

  describe('Sentinel (REDIS_SENTINELS, REDIS_SENTINEL_MASTER)', () => {
    it('lists the Sentinels and the master name, and gives ioredis sentinel options', () => {
      const { redis } = loadAppConfig({
        REDIS_SENTINELS: ' 10.0.0.1:26379, sentinel-2.internal:26380,[fd00::3]:26379 ',
        REDIS_SENTINEL_MASTER: 'quarterly',
      });
      expect(redis).toEqual({
        kind: 'sentinel',
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: 'sentinel-2.internal', port: 26380 },
          { host: 'fd00::3', port: 26379 },
        ],
        masterName: 'quarterly',
      });
      expect(redisConnectionOptions(redis)).toEqual({
        sentinels: [
          { host: '10.0.0.1', port: 26379 },
          { host: 'sentinel-2.internal', port: 26380 },
          { host: 'fd00::3', port: 26379 },
        ],
        name: 'quarterly',
        maxRetriesPerRequest: null,
      });
    });

    it("takes the data nodes' user, password and database from REDIS_URL, ignoring its host", () => {
      const { redis } = loadAppConfig({
        REDIS_SENTINELS: '127.0.0.1:26379',
        REDIS_SENTINEL_MASTER: 'quarterly',
        REDIS_SENTINEL_PASSWORD: 'sentinel secret',
        REDIS_URL: 'redis://app:data-secret@ignored:1234/3',
      });
      expect(redisConnectionOptions(redis)).toEqual({
        sentinels: [{ host: '127.0.0.1', port: 26379 }],
        name: 'quarterly',
        sentinelPassword: 'sentinel secret',
        username: 'app',
        password: 'data-secret',
        db: 3,
        maxRetriesPerRequest: null,
      });
    });

    it('needs the master name', () => {
      expect(problemsOf({ REDIS_SENTINELS: '127.0.0.1:26379' })).toEqual([
        'REDIS_SENTINEL_MASTER: is required when REDIS_SENTINELS is set',
      ]);
    });

    it.each([
      ['a host without a port', 'sentinel-1'],
      ['a port out of range', '127.0.0.1:70000'],
      ['port zero', '127.0.0.1:0'],
      ['an empty entry', '127.0.0.1:26379,,127.0.0.2:26379'],
      ['a trailing comma', '127.0.0.1:26379,'],
      ['a URL instead of host:port', 'redis://127.0.0.1:26379'],
      ['a space-separated list', '127.0.0.1:26379 127.0.0.2:26379'],
    ])('refuses %s in REDIS_SENTINELS, naming it', (_, sentinels) => {
      const problems = problemsOf({ REDIS_SENTINELS: sentinels, REDIS_SENTINEL_MASTER: 'quarterly' });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^REDIS_SENTINELS: must be a comma-separated list of host:port/);
      expect(problems[0]).toContain(`(got "${sentinels.trim()}")`);
    });

    it('reports a bad list and a missing master name together', () => {
      expect(problemsOf({ REDIS_SENTINELS: 'nope' }).map((p) => p.split(':')[0])).toEqual([
        'REDIS_SENTINELS',
        'REDIS_SENTINEL_MASTER',
      ]);
    });

    it('refuses a master name or Sentinel password without REDIS_SENTINELS, rather than silently using REDIS_URL', () => {
      expect(problemsOf({ REDIS_SENTINEL_MASTER: 'quarterly' })).toEqual(['REDIS_SENTINELS: is required when REDIS_SENTINEL_MASTER is set']);
      expect(problemsOf({ REDIS_SENTINEL_PASSWORD: 'x' })).toEqual(['REDIS_SENTINELS: is required when REDIS_SENTINEL_PASSWORD is set']);
    });

    it('refuses rediss:// with Sentinel (TLS through Sentinel is not supported)', () => {
      expect(
        problemsOf({ REDIS_SENTINELS: '127.0.0.1:26379', REDIS_SENTINEL_MASTER: 'quarterly', REDIS_URL: 'rediss://:pw@x/0' }),
      ).toEqual(['REDIS_URL: rediss:// (TLS) is not supported together with REDIS_SENTINELS']);
    });
  });
});

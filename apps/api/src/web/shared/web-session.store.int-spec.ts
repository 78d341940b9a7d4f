import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { redisTestConnection } from '@quarterly/testing/redis-test-connection';
import { RedisRateLimiter, RateLimitedError } from './redis-rate-limiter';
import { WebSessionStore } from './web-session.store';

const MINUTE = 60_000;
const T0 = Date.parse('2026-10-01T09:00:00Z');

describe('web sessions and rate limits in a real Redis', () => {
  let redis: Redis;
  let prefix: string;
  let store: WebSessionStore;

  beforeAll(() => {
    redis = redisTestConnection();
  });

  beforeEach(() => {
    prefix = `test-web-${randomBytes(4).toString('hex')}:`;
    store = new WebSessionStore(redis, 'a-session-secret-that-is-long-enough-123', { idleMs: 30 * MINUTE, absoluteMs: 10 * 60 * MINUTE }, prefix);
  });

  afterEach(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
  });

  it('finds a session by its signed cookie, and renews it on use', async () => {
    const session = await store.create(T0, { personId: 's.lead' });
    const cookie = store.cookieValueOf(session);
    const later = await store.load(cookie, T0 + 20 * MINUTE);
    expect(later).toMatchObject({ id: session.id, personId: 's.lead', csrfToken: session.csrfToken, lastSeenAt: T0 + 20 * MINUTE });
    // Renewed: 20 more minutes of quiet is still within the idle timeout.
    await expect(store.load(cookie, T0 + 40 * MINUTE)).resolves.toMatchObject({ id: session.id });
    expect(await redis.pttl(`${prefix}${session.id}`)).toBeGreaterThan(29 * MINUTE);
  });

  it('ends a session left idle too long, and deletes it', async () => {
    const session = await store.create(T0, { personId: 's.lead' });
    await expect(store.load(store.cookieValueOf(session), T0 + 30 * MINUTE)).resolves.toBeUndefined();
    expect(await redis.exists(`${prefix}${session.id}`)).toBe(0);
  });

  it('ends a session at its absolute timeout however busy it is', async () => {
    const session = await store.create(T0, { personId: 's.lead' });
    const cookie = store.cookieValueOf(session);
    for (let minutes = 25; minutes < 600; minutes += 25) await expect(store.load(cookie, T0 + minutes * MINUTE)).resolves.toBeDefined();
    await expect(store.load(cookie, T0 + 600 * MINUTE)).resolves.toBeUndefined();
  });

  it('refuses a cookie whose signature does not match, or that names no session', async () => {
    const session = await store.create(T0, { personId: 's.lead' });
    await expect(store.load(`${session.id}.forged`, T0)).resolves.toBeUndefined();
    await expect(store.load(session.id, T0)).resolves.toBeUndefined();
    const other = new WebSessionStore(redis, 'another-secret-that-is-also-long-enough-456', { idleMs: MINUTE, absoluteMs: MINUTE }, prefix);
    await expect(store.load(other.cookieValueOf(session), T0)).resolves.toBeUndefined();
    await store.destroy(session.id);
    await expect(store.load(store.cookieValueOf(session), T0)).resolves.toBeUndefined();
  });

  it('counts requests per subject in a window shared by every limiter on the same Redis', async () => {
    const one = new RedisRateLimiter(redis, 'writes', 2, MINUTE, prefix);
    const another = new RedisRateLimiter(redis, 'writes', 2, MINUTE, prefix);
    await one.consume('person:s.lead');
    await another.consume('person:s.lead');
    const refused = await one.consume('person:s.lead').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RateLimitedError);
    expect((refused as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
    await expect(one.consume('person:d.place')).resolves.toBeUndefined();
  });
});

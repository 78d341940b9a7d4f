import type { Redis } from 'ioredis';

/** Over the limit: HTTP 429, with the seconds until the window ends (`Retry-After`). */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(readonly retryAfterSeconds: number) {
    super(`too many requests: try again in ${retryAfterSeconds} seconds`);
  }
}

/**
 * A fixed-window counter per key in Redis (one INCR and one PEXPIRE per request, in one round
 * trip), so every API replica counts against the same limit.
 */
export class RedisRateLimiter {
  constructor(
    private readonly redis: Redis,
    private readonly name: string,
    private readonly limit: number,
    private readonly windowMs = 60_000,
    private readonly keyPrefix = 'quarterly:rate:',
  ) {}

  /** Counts one request for `subject` (a person id or a client address); throws when over the limit. */
  async consume(subject: string): Promise<void> {
    const key = `${this.keyPrefix}${this.name}:${subject}`;
    const results = await this.redis.multi().incr(key).pexpire(key, this.windowMs, 'NX').pttl(key).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    const ttl = Number(results?.[2]?.[1] ?? this.windowMs);
    if (count > this.limit) throw new RateLimitedError(Math.max(1, Math.ceil(ttl / 1000)));
  }
}

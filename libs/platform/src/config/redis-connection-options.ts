import type { RedisOptions } from 'ioredis';
import { redisUrlParts, type RedisConnectionSettings } from './redis-connection-settings';

/**
 * ioredis options without `retryStrategy` (ioredis's default backoff is kept): BullMQ's own
 * options type does not accept ioredis's `retryStrategy: null`, and Nest's BullModule wants it.
 */
export type QuarterlyRedisOptions = Omit<RedisOptions, 'retryStrategy'>;

/**
 * The ioredis options (`new Redis(options)`, BullMQ's `connection`) for the configured Redis:
 * the one place that knows how a URL or a Sentinel group becomes a connection, used by every
 * connection Quarterly opens (the reminder queues and ledger, their workers, Nest's BullMQ module,
 * and so `/health`).
 *
 * `maxRetriesPerRequest: null` because all of them serve BullMQ, which requires it: a command
 * waits for the reconnection (a restart, a Sentinel failover) instead of failing after 20 retries.
 */
export function redisConnectionOptions(settings: RedisConnectionSettings): QuarterlyRedisOptions {
  if (settings.kind === 'url') {
    const url = redisUrlParts(settings.url);
    return {
      host: url.host,
      port: url.port,
      ...(url.username !== undefined ? { username: url.username } : {}),
      ...(url.password !== undefined ? { password: url.password } : {}),
      ...(url.db !== undefined ? { db: url.db } : {}),
      ...(url.tls ? { tls: {} } : {}),
      maxRetriesPerRequest: null,
    };
  }
  return {
    // ioredis asks the Sentinels for the master's address at every (re)connection and checks
    // that the node it reaches is a master; Sentinel disconnects clients of a demoted master.
    sentinels: settings.sentinels.map(({ host, port }) => ({ host, port })),
    name: settings.masterName,
    ...(settings.sentinelPassword !== undefined ? { sentinelPassword: settings.sentinelPassword } : {}),
    ...(settings.username !== undefined ? { username: settings.username } : {}),
    ...(settings.password !== undefined ? { password: settings.password } : {}),
    ...(settings.db !== undefined ? { db: settings.db } : {}),
    maxRetriesPerRequest: null,
  };
}

import type { Redis } from 'ioredis';
import type { LedgerEntry, SentNotificationLedger } from './sent-notification-ledger.port';

export interface RedisSentNotificationLedgerOptions {
  /**
   * Prefix of the ledger's keys, so tests and several deployments can share one Redis.
   * @defaultValue `quarterly:sent-notifications`
   */
  readonly prefix?: string;
  /**
   * How long an entry is kept. Longer than any job can be retried or replayed into a new job
   * (BullMQ keeps finished jobs for weeks), shorter than for ever.
   * @defaultValue 400 days
   */
  readonly retentionSeconds?: number;
}

/**
 * The ledger in the same Redis as the queues: written in the same place as the job's own state,
 * persisted by the AOF (fsync every second), one hash per notification.
 */
export class RedisSentNotificationLedger implements SentNotificationLedger {
  private readonly prefix: string;
  private readonly retentionSeconds: number;

  constructor(
    private readonly redis: Redis,
    options: RedisSentNotificationLedgerOptions = {},
  ) {
    this.prefix = options.prefix ?? 'quarterly:sent-notifications';
    this.retentionSeconds = options.retentionSeconds ?? 400 * 86_400;
  }

  async lookup(key: string): Promise<LedgerEntry | undefined> {
    const fields = await this.redis.hgetall(this.redisKey(key));
    return toEntry(key, fields);
  }

  async recordAttempt(key: string, at: Date): Promise<LedgerEntry> {
    const redisKey = this.redisKey(key);
    const results = await this.redis
      .multi()
      .hsetnx(redisKey, 'firstAttemptAt', at.toISOString())
      .hsetnx(redisKey, 'status', 'attempted')
      .hincrby(redisKey, 'attempts', 1)
      .expire(redisKey, this.retentionSeconds)
      .hgetall(redisKey)
      .exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error(`ledger transaction for ${key} was aborted`);
    const entry = toEntry(key, results[4]![1] as Record<string, string>);
    if (!entry) throw new Error(`ledger entry ${key} vanished while being written`);
    return entry;
  }

  async recordSent(key: string, sent: { readonly messageId: string; readonly at: Date }): Promise<void> {
    const redisKey = this.redisKey(key);
    await this.redis
      .multi()
      .hset(redisKey, { status: 'sent', sentAt: sent.at.toISOString(), messageId: sent.messageId })
      .expire(redisKey, this.retentionSeconds)
      .exec();
  }

  private redisKey(key: string): string {
    return `${this.prefix}:${key}`;
  }
}

function toEntry(key: string, fields: Record<string, string>): LedgerEntry | undefined {
  if (!fields.status) return undefined;
  return {
    key,
    status: fields.status === 'sent' ? 'sent' : 'attempted',
    attempts: Number(fields.attempts ?? 0),
    firstAttemptAt: fields.firstAttemptAt ?? '',
    ...(fields.sentAt ? { sentAt: fields.sentAt } : {}),
    ...(fields.messageId ? { messageId: fields.messageId } : {}),
  };
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { AdjustableClock, loadAppConfig, QuarterlyEngine, type AppConfig } from '@quarterly/platform';
import { TIMERS_QUEUE, type TimerJobData } from '@quarterly/reminders';
import { oneReturnCouncil } from '@quarterly/reminders/testing/one-return-council';
import { deleteKeysWithPrefix, redisTestConnection, redisTestUrl, uniqueTestPrefix } from '@quarterly/testing/redis-test-connection';
import { RedisUnreachableError, rescheduleTimersCommand } from './reschedule-timers.command';

describe('reschedule-timers against a real SQLite engine and Redis', () => {
  let dataDir: string;
  let config: AppConfig;
  let engine: QuarterlyEngine;
  const prefix = uniqueTestPrefix('reschedule');

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'quarterly-reschedule-'));
    config = loadAppConfig({ QUARTERLY_DATA_DIR: dataDir, REDIS_URL: redisTestUrl(), QUARTERLY_WORKER: 'off', LOG_LEVEL: 'silent' });
    engine = await QuarterlyEngine.open(config);
    // Events only: no scheduler ever ran, as after Redis was replaced by an empty one.
    await oneReturnCouncil().appendTo(engine.store);
  });

  afterAll(async () => {
    await engine?.close();
    const redis = redisTestConnection();
    try {
      await deleteKeysWithPrefix(redis, prefix);
    } finally {
      redis.disconnect();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("schedules on the configured Redis the timers due from --since on, and reports what it did", async () => {
    const clock = new AdjustableClock('2025-10-09T12:00:00Z');
    const report = await rescheduleTimersCommand(engine, config, clock, new Date('2025-10-09T11:55:00Z'), { queuePrefix: prefix });
    expect(report).toEqual({
      since: '2025-10-09T11:55:00.000Z',
      eventsRead: expect.any(Number),
      eventsReplayed: 2, // CycleOpened and the one ReturnRequested
      timersScheduled: 8, // the return's nine timers less the reminder of 9 October, 08:00
      mailJobs: 0,
    });
    const connection = redisTestConnection();
    const queue = new Queue<TimerJobData>(TIMERS_QUEUE, { connection, prefix });
    try {
      // One job, the first timer due from --since on, carrying the other seven as its chain.
      const delayed = await queue.getDelayed();
      expect(delayed).toHaveLength(1);
      const timers = [delayed[0]!.data, ...(delayed[0]!.data.then ?? [])];
      expect(timers).toHaveLength(8);
      expect(timers.every((timer) => timer.fireAt >= '2025-10-09T11:55:00.000Z')).toBe(true);
    } finally {
      await queue.close();
      connection.disconnect();
    }
  });

  it('fails in seconds, naming Redis, when Redis does not answer', async () => {
    const unreachable = loadAppConfig({ QUARTERLY_DATA_DIR: dataDir, REDIS_URL: 'redis://127.0.0.1:9', QUARTERLY_WORKER: 'off', LOG_LEVEL: 'silent' });
    const clock = new AdjustableClock('2025-10-09T12:00:00Z');
    await expect(
      rescheduleTimersCommand(engine, unreachable, clock, new Date('2025-10-09T11:55:00Z'), { queuePrefix: prefix, redisTimeoutMs: 500 }),
    ).rejects.toThrow(RedisUnreachableError);
  });
});

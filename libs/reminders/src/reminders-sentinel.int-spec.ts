import { returnStreamId } from '@quarterly/domain';
import { loadAppConfig } from '@quarterly/platform';
import { RedisSentinelTestGroup } from '@quarterly/testing/redis-sentinel-test-group';
import { Redis } from 'ioredis';
import { ONE_RETURN_CYCLE, ONE_RETURN_DUE, oneReturnCouncil } from './testing/one-return-council';
import { ReminderTestHarness } from './testing/reminder-test-harness';

const CYCLE = ONE_RETURN_CYCLE;
const DUE = ONE_RETURN_DUE;
const MASTER_NAME = 'quarterly-test';

/** How many keys of the test's BullMQ prefix the server on this port holds. */
async function keysOn(port: number, prefix: string): Promise<number> {
  const redis = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  try {
    return (await redis.keys(`${prefix}:*`)).length;
  } finally {
    redis.disconnect();
  }
}

/**
 * The whole reminder pipeline (scheduler, BullMQ queues and workers, mail) configured only with
 * REDIS_SENTINELS and REDIS_SENTINEL_MASTER, against real redis-server processes on 127.0.0.1:
 * a primary, a replica and a Sentinel started by this test.
 */
describe('reminders through Redis Sentinel (real Sentinel, primary and replica on loopback)', () => {
  let group: RedisSentinelTestGroup;
  let harness: ReminderTestHarness;

  beforeAll(async () => {
    group = await RedisSentinelTestGroup.start(MASTER_NAME);
    const config = loadAppConfig({
      REDIS_SENTINELS: group.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
      REDIS_SENTINEL_MASTER: MASTER_NAME,
      LOG_LEVEL: 'silent',
    });
    expect(config.redis.kind).toBe('sentinel');
    harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', redis: config.redis });
  });

  afterAll(async () => {
    await harness?.close();
    await group?.destroy();
  });

  const rulesNoticed = async () =>
    (await harness.engine.store.readStream(returnStreamId('ASC-01', CYCLE)))
      .filter((e) => e.type === 'ReturnReminderSent')
      .map((e) => (e.data as { rule: string }).rule);

  it('schedules timers on the master the Sentinel names, and fires them: the reminder is mailed and recorded', async () => {
    const master = await group.masterPort();
    await harness.append(oneReturnCouncil());
    expect(await harness.takeMails()).toHaveLength(2); // the opening's digests
    const [chain] = await harness.runtime.timersQueue.getDelayed();
    expect(1 + (chain?.data.then?.length ?? 0)).toBe(9);
    // The jobs are on the Sentinel's master, not on any other Redis.
    expect(await keysOn(master, harness.runtime.prefix)).toBeGreaterThan(0);

    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    expect(harness.smtp.mails.map((m) => m.to[0]).sort()).toEqual(['k.contact@council.example', 's.lead@council.example']);
    expect(await rulesNoticed()).toEqual(['before_deadline']);
    expect((await harness.runtime.health()).redis).toBe('up');
  });

  it('follows a failover: after SENTINEL FAILOVER the next timer fires and its mail job, queued on the new master, is sent', async () => {
    const { from, to } = await group.failover();
    expect(to).not.toBe(from);
    expect(await group.masterPort()).toBe(to);

    // The delayed jobs were replicated; promoting them, firing the timer and queueing its mail
    // are writes, which only the new master accepts.
    await harness.advanceTo(`${DUE}T08:00:00Z`);
    await harness.settle(15_000);
    expect(await rulesNoticed()).toEqual(['before_deadline', 'on_deadline']);
    expect(harness.smtp.mails).toHaveLength(4);
    expect((await harness.runtime.health()).redis).toBe('up');
    expect(await keysOn(to, harness.runtime.prefix)).toBeGreaterThan(0);
  });
});

/**
 * The production shape: three Sentinels that must agree (quorum 2), and a master that crashes
 * (SIGKILL) instead of handing over. The writes it acknowledged had reached the replica (`WAIT`);
 * a write lost in a crash is what `quarterly reschedule-timers` is for (reminder-faults.int-spec).
 */
describe('reminders through three Redis Sentinels (quorum 2) when the master crashes', () => {
  let group: RedisSentinelTestGroup;
  let harness: ReminderTestHarness;

  beforeAll(async () => {
    group = await RedisSentinelTestGroup.start(MASTER_NAME, { sentinels: 3, quorum: 2, downAfterMs: 1000 });
    const config = loadAppConfig({
      REDIS_SENTINELS: group.sentinels.map((s) => `${s.host}:${s.port}`).join(','),
      REDIS_SENTINEL_MASTER: MASTER_NAME,
      LOG_LEVEL: 'silent',
    });
    harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', redis: config.redis });
  });

  afterAll(async () => {
    await harness?.close();
    await group?.destroy();
  });

  it('sends the reminder before the crash and the deadline reminder after the Sentinels promote the replica', async () => {
    await harness.append(oneReturnCouncil());
    expect(await harness.takeMails()).toHaveLength(2); // the opening's digests
    await harness.advanceTo('2025-10-09T08:00:00Z');
    await harness.settle();
    expect(harness.smtp.mails).toHaveLength(2);

    const { from, to } = await group.crashMaster();
    expect(to).not.toBe(from);
    for (const { port } of group.sentinels) expect(await group.masterPort(port)).toBe(to);

    await harness.advanceTo(`${DUE}T08:00:00Z`);
    await harness.settle(30_000);
    const rules = (await harness.engine.store.readStream(returnStreamId('ASC-01', CYCLE)))
      .filter((e) => e.type === 'ReturnReminderSent')
      .map((e) => (e.data as { rule: string }).rule);
    expect(rules).toEqual(['before_deadline', 'on_deadline']);
    expect(harness.smtp.mails).toHaveLength(4);
    expect((await harness.runtime.health()).redis).toBe('up');
    expect(await keysOn(to, harness.runtime.prefix)).toBeGreaterThan(0);
  }, 60_000);
});

import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { RedisSentNotificationLedger } from '@quarterly/notifications';
import { RedisTestServer, redisTestConnection, redisTestUrl } from '@quarterly/testing/redis-test-connection';
import { digestKey } from './mail/notice-mail.service';
import { oneReturnCouncil } from './testing/one-return-council';
import { ReminderTestHarness } from './testing/reminder-test-harness';

const REMINDER_RUN = '2025-10-09T08:00:00.000Z';

describe('reminder faults', () => {
  describe('with a Redis server of its own', () => {
    let redis: RedisTestServer;
    let harness: ReminderTestHarness;

    beforeEach(async () => {
      redis = await RedisTestServer.create();
      harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', redis: { kind: 'url', url: redis.url } });
    });

    afterEach(async () => {
      await harness.close();
      await redis.destroy();
    });

    /** The pending timers: each delayed job and the later timers of its chain, in firing order. */
    const delayedTimers = async () =>
      (await harness.runtime.timersQueue.getDelayed())
        .flatMap((job) => [job.data, ...(job.data.then ?? [])].map((t) => ({ id: t.jobId, fireAt: t.fireAt })))
        .sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : a.id < b.id ? -1 : 1));

    it('keeps the delayed jobs (AOF) across a restart and fires them afterwards, the chain going on', async () => {
      await harness.append(oneReturnCouncil());
      const opening = await harness.takeMails();
      expect(opening.map((m) => m.to[0]).sort()).toEqual(['k.contact@council.example', 's.lead@council.example']);
      const before = await delayedTimers();
      expect(before).toHaveLength(9);
      expect(await harness.runtime.timersQueue.getDelayed()).toHaveLength(1);

      await redis.stop();
      await redis.start();

      expect(await delayedTimers()).toEqual(before);
      await harness.advanceTo(REMINDER_RUN);
      await harness.settle();
      expect(harness.smtp.mails.map((m) => m.to[0]).sort()).toEqual(['k.contact@council.example', 's.lead@council.example']);
      // The reminder that fired passed the chain on: the other eight are still to come.
      expect(await delayedTimers()).toEqual(before.slice(1));

      await redis.stop();
      await redis.start();
      await harness.advanceTo(before[1]!.fireAt);
      await harness.settle();
      expect(harness.smtp.mails).toHaveLength(4);
      expect(await delayedTimers()).toEqual(before.slice(2));
    });
    const mailsTo = (address: string) => harness.smtp.mails.filter((m) => m.to.includes(address)).length;

    it('when Redis loses its data, re-creates from the events every timer due since the loss, once, and sends no earlier notice again', async () => {
      await harness.append(oneReturnCouncil());
      await harness.takeMails(); // the opening's digests
      const planned = await delayedTimers();
      expect(planned).toHaveLength(9);
      expect(planned[0]!.fireAt).toBe(REMINDER_RUN);
      await harness.advanceTo(REMINDER_RUN);
      await harness.settle();
      expect([mailsTo('s.lead@council.example'), mailsTo('k.contact@council.example')]).toEqual([1, 1]);

      // The server comes back empty at noon (a new machine, a lost disk): every job is gone.
      harness.clock.set('2025-10-09T12:00:00Z');
      const admin = new Redis(redis.url);
      try {
        await admin.flushall();
      } finally {
        admin.disconnect();
      }
      expect(await delayedTimers()).toEqual([]);

      const since = new Date('2025-10-09T11:55:00Z');
      const report = await harness.runtime.rescheduleTimers(harness.engine.store, since);
      expect(report).toMatchObject({ since: since.toISOString(), timersScheduled: 8, mailJobs: 0 });
      expect(report.eventsReplayed).toBeGreaterThan(0);
      expect(report.eventsRead).toBeGreaterThanOrEqual(report.eventsReplayed);
      expect(await delayedTimers()).toEqual(planned.slice(1));

      // Run again (or beside a scheduler that re-planned some): the same jobs, no second copy.
      await harness.runtime.rescheduleTimers(harness.engine.store, since);
      expect(await delayedTimers()).toEqual(planned.slice(1));

      // The next timer fires as planned; the 9 October reminder is not sent a second time.
      await harness.advanceTo(planned[1]!.fireAt);
      await harness.settle();
      expect([mailsTo('s.lead@council.example'), mailsTo('k.contact@council.example')]).toEqual([2, 2]);
      expect(await delayedTimers()).toEqual(planned.slice(2));
    });
  });

  describe('when a worker process is killed with SIGKILL mid-job', () => {
    let harness: ReminderTestHarness;
    const children: ChildProcess[] = [];

    const startWorkerProcess = async (): Promise<ChildProcess> => {
      const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'testing', 'reminder-worker.child.ts')], {
        cwd: join(__dirname, '..', '..', '..'),
        env: {
          ...process.env,
          QUEUE_PREFIX: harness.runtime.prefix,
          SQLITE_FILE: harness.sqliteFile,
          SMTP_URL: harness.smtp.url,
          REDIS_URL: redisTestUrl(),
          CLOCK_NOW: REMINDER_RUN,
          LOCK_DURATION_MS: '1000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let errors = '';
      child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`worker process exited with ${code}: ${errors}`)));
      });
      return child;
    };

    beforeEach(async () => {
      harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', startWorkers: false });
    });

    afterEach(async () => {
      for (const child of children.splice(0)) {
        if (child.exitCode === null && child.signalCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
      }
      await harness.close();
    });

    // Starting a worker process compiles the TypeScript sources on the fly: allow for it.
    it('runs the job again and the mail goes out once', async () => {
      await harness.append(oneReturnCouncil());
      const first = await startWorkerProcess();
      // The opening's digests go out first; then the reminder's digest is the one cut short.
      await harness.smtp.waitForMails(2, 15_000);
      const opening = harness.smtp.mails.splice(0);
      expect(opening.map((m) => m.subject)).toEqual(['Quarterly returns: 1 return due (1 Oct 2025)', 'Quarterly returns: 1 return due (1 Oct 2025)']);
      harness.smtp.holdNextMessage();

      await harness.advanceTo(REMINDER_RUN);
      // The first digest reaches the SMTP server, which does not acknowledge it yet: the worker is mid-send.
      await harness.smtp.waitForHeldMessage(15_000);
      const killed = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGKILL');
      await killed;

      await startWorkerProcess();
      // The killed job's lock expires (1 s); the new worker takes it over and sends it.
      await harness.smtp.waitForMails(2, 15_000);
      await harness.settle(15_000);

      const recipients = harness.smtp.mails.map((m) => m.to[0]).sort();
      expect(recipients).toEqual(['k.contact@council.example', 's.lead@council.example']);
      const redis = redisTestConnection();
      try {
        const ledger = new RedisSentNotificationLedger(redis, { prefix: `${harness.runtime.prefix}:sent-notifications` });
        const entries = await Promise.all(['s.lead', 'k.contact'].map((p) => ledger.lookup(digestKey(p, REMINDER_RUN))));
        expect(entries.map((e) => e?.status)).toEqual(['sent', 'sent']);
        // The digest whose send was cut short was attempted twice and delivered once.
        expect(entries.map((e) => e!.attempts).sort()).toEqual([1, 2]);
      } finally {
        redis.disconnect();
      }
    }, 60_000);
  });
});

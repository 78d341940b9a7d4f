import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';
import { RedisTestServer } from '@quarterly/testing/redis-test-connection';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';
import { WriteLoad } from '@quarterly/testing/write-load';

// The API with its worker embedded, on a Redis server and an SMTP server of this test's own,
// while they go away: Redis stopped (a restart) and killed (a crash) under write load, the SMTP
// server down and then refusing. Commands never need either, so writes go on being accepted;
// readiness says `degraded` within 2 s; when the server is back the reminder scheduler resumes
// from its checkpoint and the mail that waited is sent — with no restart of the API.

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function readiness(api: ApiTestApp): Promise<{ status: number; ms: number; body: any }> {
  const started = performance.now();
  const response = await fetch(`${api.baseUrl}/health/ready`);
  const body = await response.json();
  return { status: response.status, ms: performance.now() - started, body };
}

/** One sample of a metric from `/metrics`, e.g. `quarterly_mails_failed_total{permanent="false"}`. */
async function metric(api: ApiTestApp, series: string): Promise<number | undefined> {
  const text = await fetch(`${api.baseUrl}/metrics`).then((response) => response.text());
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

function timetable(returnsDue: string) {
  const due = new Date(`${returnsDue}T00:00:00Z`);
  const plusDays = (days: number) => new Date(due.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  return { returnsDue, dmtReviewDeadline: plusDays(7), cltDate: plusDays(14), publicationDate: plusDays(28) };
}

describe.each(['sqlite', 'postgres'] as const)('when Redis or SMTP goes away (%s)', (store) => {
  let redis: RedisTestServer;
  let smtp: SmtpTestServer;
  let api: ApiTestApp;
  let team: ApiClient;

  beforeAll(async () => {
    redis = await RedisTestServer.create();
    smtp = await SmtpTestServer.start();
    // Friday 9 October 2026, 10:00 UTC: for returns due on the 14th, the first reminder is due.
    api = await startApiTestApp({ store, now: '2026-10-09T10:00:00Z', reminders: { smtpUrl: smtp.url, redisUrl: redis.url } });
    team = api.as(PRINCIPALS.team);
    expectStatus(
      await team('POST', '/kpis', {
        body: {
          kpiId: 'ENV-02', title: 'Fly-tipping cleared within 2 working days', definition: 'Cleared within 2 working days / reported.',
          directorate: 'Place', serviceArea: 'Street Scene', planOutcome: '1.2.1 Keep our city clean', unit: 'percentage', decimalPlaces: 1,
          polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period', dataSource: 'Street Scene system', limitations: '',
          benchmarkSources: [], labels: 'green_amber_red', owner: 's.lead', keyContacts: [],
        },
      }),
      201,
    );
    // After the register: a person's directorate must be one the register's KPIs belong to.
    expectStatus(
      await team('POST', '/people', { body: { personId: 's.lead', name: 'Sam Lead', email: 'sam.lead@council.example', roles: ['service-lead'], directorate: 'Place' } }),
      201,
    );
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await smtp?.stop();
    await redis?.destroy();
  });

  it('accepts writes while Redis is stopped, says degraded, and schedules and mails the reminder once Redis is back', async () => {
    const load = WriteLoad.start(team, { prefix: `r${store}` });
    try {
      await load.until((outcomes) => outcomes.filter((o) => o.status === 201).length >= 5, 'writes before the outage');
      await redis.stop();
      const acknowledgedBefore = load.acknowledged.length;

      const health = await readiness(api);
      expect(health.ms).toBeLessThan(2_000);
      expect(health.status).toBe(200);
      expect(health.body.status).toBe('degraded');
      expect(health.body.checks.redis).toEqual({ status: 'down', reason: expect.any(String) });
      expect(health.body.checks.eventStore.status).toBe('up');

      // The cycle opens without Redis: its timers wait for the scheduler to reach Redis.
      expectStatus(await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2', timetable: timetable('2026-10-14') } }), 201);
      await load.until((outcomes) => outcomes.filter((o) => o.status === 201).length >= acknowledgedBefore + 10, 'writes during the outage');

      await redis.start();
      const reminded = await eventually(async () => {
        const events = await api.engine.store.readStream('return-ENV-02-2026-27-Q2');
        return events.find((event) => event.type === 'ReturnReminderSent');
      }, 'the reminder fired after Redis came back');
      expect(reminded.data).toMatchObject({ recipients: ['s.lead'] });
      await eventually(async () => smtp.mails.find((mail) => mail.to.includes('sam.lead@council.example')), 'the reminder mail');
      await eventually(async () => ((await readiness(api)).body.status === 'ready' ? true : undefined), 'readiness to be ready again');
    } finally {
      await load.stop();
    }
    expect(load.outcomes.every((outcome) => outcome.status === 201)).toBe(true);
  }, 90_000);

  it('accepts writes while Redis is killed, and queues the timers planned meanwhile once it is back', async () => {
    const load = WriteLoad.start(team, { prefix: `k${store}` });
    try {
      await load.until((outcomes) => outcomes.filter((o) => o.status === 201).length >= 5, 'writes before the crash');
      await redis.kill();
      const health = await readiness(api);
      expect(health.ms).toBeLessThan(2_000);
      expect(health.body).toMatchObject({ status: 'degraded', checks: { redis: { status: 'down' } } });

      // Returns due in January: every timer is delayed, none fires today.
      expectStatus(await team('POST', '/cycles', { body: { cycleId: '2026/27-Q3', timetable: timetable('2027-01-14') } }), 201);
      const acknowledgedBefore = load.acknowledged.length;
      await load.until((outcomes) => outcomes.filter((o) => o.status === 201).length >= acknowledgedBefore + 10, 'writes during the outage');

      await redis.start();
      await eventually(async () => {
        const delayed = await metric(api, 'quarterly_queue_jobs{queue="quarterly-timers",state="delayed"}');
        const behind = await metric(api, 'quarterly_projection_lag_events{projection="reminder-scheduler"}');
        return delayed !== undefined && delayed > 0 && behind === 0 ? true : undefined;
      }, 'the January timers queued and the scheduler caught up');
    } finally {
      await load.stop();
    }
    expect(load.outcomes.every((outcome) => outcome.status === 201)).toBe(true);
  }, 90_000);

  it('keeps the mail while the SMTP server is down or refusing, counts the failures, and sends it when the server takes it', async () => {
    const failedBefore = (await metric(api, 'quarterly_mails_failed_total{permanent="false"}')) ?? 0;
    const mailsBefore = smtp.mails.length;
    await smtp.stop();
    const health = await readiness(api);
    expect(health.ms).toBeLessThan(2_000);
    expect(health.body).toMatchObject({ status: 'degraded', checks: { smtp: { status: 'down', reason: 'connection refused' } } });

    // An escalation is mailed at once: its first attempt meets a closed port.
    const director = { id: 'p.director', roles: ['dmt'], directorate: 'Place' } as const;
    expectStatus(
      await api.as(director)('POST', '/returns/ENV-02/2026-27-Q2/escalation', { body: { level: 'dmt', reason: 'Clearance times are slipping.' } }),
      200,
    );
    await eventually(
      async () => (((await metric(api, 'quarterly_mails_failed_total{permanent="false"}')) ?? 0) > failedBefore ? true : undefined),
      'a failed attempt counted',
    );

    // Back, but refusing the next delivery with 451: one more failure, then the mail goes.
    smtp.failNext(1);
    await smtp.start();
    const escalation = await eventually(
      async () => smtp.mails.slice(mailsBefore).find((mail) => mail.subject.startsWith('Escalated')),
      'the escalation mail after the server came back',
      60_000,
    );
    expect(escalation.to).toEqual(['sam.lead@council.example']);
    expect(await metric(api, 'quarterly_mails_sent_total')).toBeGreaterThanOrEqual(2);
    expect((await readiness(api)).body.checks.smtp.status).toBe('up');
  }, 90_000);
});

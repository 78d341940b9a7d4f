import { LocalTokenIssuer, loadAppConfig, registerProjectionLagCollector } from '@quarterly/platform';
import { ReminderTestHarness } from '@quarterly/reminders/testing/reminder-test-harness';
import { ensureInDirectory } from '@quarterly/testing/directory-fixtures';
import { RedisTestServer } from '@quarterly/testing/redis-test-connection';
import { WorkerHealthServer } from './worker-health.server';

describe("the worker's health and metrics endpoint", () => {
  const { auth } = loadAppConfig({ JWT_SECRET: 'worker-health-test-secret-0123456789abcdef' });
  let redis: RedisTestServer;
  let harness: ReminderTestHarness;
  let server: WorkerHealthServer;
  let baseUrl: string;

  beforeAll(async () => {
    redis = await RedisTestServer.create();
    harness = await ReminderTestHarness.create({ now: '2025-10-01T08:00:00Z', redis: { kind: 'url', url: redis.url } });
    registerProjectionLagCollector(harness.engine.metrics, harness.engine, harness.clock); // as apps/worker/src/main.ts does
    // Raw errors go to the directory's performance team only.
    const now = harness.clock.now().toISOString();
    await ensureInDirectory(harness.engine.executor, { id: 'p.team', roles: ['performance-team'] }, now);
    await ensureInDirectory(harness.engine.executor, { id: 's.lead', roles: ['service-lead'] }, now);
    server = await WorkerHealthServer.start({ engine: harness.engine, runtime: harness.runtime, auth, host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${server.port}`;
  });

  afterAll(async () => {
    await server?.close();
    await harness?.close();
    await redis?.destroy();
  });

  it('is live and ready while its dependencies answer, and serves metrics', async () => {
    expect(await fetch(`${baseUrl}/health/live`).then((r) => r.json())).toEqual({ status: 'alive' });
    const ready = await fetch(`${baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { eventStore: { status: 'up' }, readModels: { status: 'up' }, redis: { status: 'up' }, smtp: { status: 'up' } },
    });
    const metrics = await fetch(`${baseUrl}/metrics`);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    const text = await metrics.text();
    expect(text).toContain('quarterly_queue_jobs{queue="quarterly-timers",state="delayed"}');
    expect(text).toContain('quarterly_projection_lag_events');
    expect((await fetch(`${baseUrl}/nothing-here`)).status).toBe(404);
  });

  it('is unavailable within 2 s without Redis (a worker has nothing to run), raw errors only for the performance team', async () => {
    await redis.stop();
    try {
      const started = performance.now();
      const ready = await fetch(`${baseUrl}/health/ready`);
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(ready.status).toBe(503);
      const report = (await ready.json()) as any;
      expect(report).toMatchObject({ status: 'unavailable', checks: { redis: { status: 'down', reason: expect.any(String) } } });
      expect(report.checks.redis.error).toBeUndefined();

      const token = await new LocalTokenIssuer(auth).issue({ id: 'p.team' });
      const operator = (await fetch(`${baseUrl}/health/ready`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json())) as any;
      expect(operator.checks.redis.error).toEqual(expect.any(String));
      const serviceLead = await new LocalTokenIssuer(auth).issue({ id: 's.lead' });
      const lead = (await fetch(`${baseUrl}/health/ready`, { headers: { authorization: `Bearer ${serviceLead}` } }).then((r) => r.json())) as any;
      expect(lead.checks.redis.error).toBeUndefined();
      expect((await fetch(`${baseUrl}/health/live`)).status).toBe(200);
    } finally {
      await redis.start();
    }
    // Ready again once Redis is back, with no restart of the worker.
    const deadline = Date.now() + 20_000;
    while ((await fetch(`${baseUrl}/health/ready`)).status !== 200) {
      if (Date.now() > deadline) throw new Error('the worker did not become ready again');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    // BullMQ's Worker.close() never resolves while its connection is still reconnecting
    // (taskforcesh/bullmq#4656): let the workers reconnect before afterAll closes them.
    await Promise.all(harness.runtime.runningWorkers.map((worker) => worker.waitUntilReady()));
  });
});

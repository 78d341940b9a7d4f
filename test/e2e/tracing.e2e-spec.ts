import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { LocalTokenIssuer, loadAppConfig } from '@quarterly/platform';
import { PostgresTestCluster } from '@quarterly/testing/postgres-test-cluster';
import { freePort, RedisTestServer } from '@quarterly/testing/redis-test-connection';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';

// Tracing is switched on by configuration in the real entry point (apps/api/src/main.ts, run as
// its own process, since the instrumentations patch pg, ioredis and node:http as they load), and
// the spans go by OTLP/HTTP to a receiver this test runs. A request's spans — HTTP, PostgreSQL,
// Redis — are one trace, and each carries the request's correlation id.

interface ExportedSpan {
  readonly traceId: string;
  readonly name: string;
  readonly kind: number;
  readonly scope: string;
  readonly attributes: Record<string, unknown>;
}

const JWT_SECRET = 'tracing-test-secret-0123456789abcdefghij';

describe('OpenTelemetry tracing (QUARTERLY_TRACING=otlp)', () => {
  const spans: ExportedSpan[] = [];
  let receiver: Server;
  let cluster: PostgresTestCluster;
  let redis: RedisTestServer;
  let smtp: SmtpTestServer;
  let api: ChildProcess;
  let baseUrl: string;
  let output = '';

  beforeAll(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          resourceSpans: Array<{ scopeSpans: Array<{ scope: { name: string }; spans: Array<{ traceId: string; name: string; kind: number; attributes?: Array<{ key: string; value: Record<string, unknown> }> }> }> }>;
        };
        for (const resource of body.resourceSpans)
          for (const scope of resource.scopeSpans)
            for (const span of scope.spans)
              spans.push({
                traceId: span.traceId,
                name: span.name,
                kind: span.kind,
                scope: scope.scope.name,
                attributes: Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]])),
              });
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    cluster = await PostgresTestCluster.create();
    redis = await RedisTestServer.create();
    smtp = await SmtpTestServer.start();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    // The first administrator, as a council starts: the API authorises only people in its directory.
    execFileSync(
      process.execPath,
      ['-r', '@swc-node/register', join(__dirname, '..', '..', 'apps', 'cli', 'src', 'main.ts'), 'add-person', 'p.team', '--name', 'Pat Team', '--email', 'pat@council.example', '--role', 'performance-team'],
      { cwd: join(__dirname, '..', '..'), env: { ...process.env, QUARTERLY_STORE: 'postgres', DATABASE_URL: cluster.url, LOG_LEVEL: 'warn' }, stdio: 'pipe' },
    );
    api = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, '..', '..', 'apps', 'api', 'src', 'main.ts')], {
      cwd: join(__dirname, '..', '..'),
      env: {
        ...process.env,
        QUARTERLY_STORE: 'postgres',
        DATABASE_URL: cluster.url,
        REDIS_URL: redis.url,
        SMTP_URL: smtp.url,
        PORT: String(port),
        JWT_SECRET,
        LOG_LEVEL: 'warn',
        QUARTERLY_WORKER: 'embedded',
        QUARTERLY_TRACING: 'otlp',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/v1/traces`,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    api.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    api.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (api.exitCode !== null) throw new Error(`the API exited: ${output}`);
      if (await fetch(`${baseUrl}/health/live`).then((r) => r.ok, () => false)) break;
      if (Date.now() > deadline) throw new Error(`the API did not start: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }, 90_000);

  afterAll(async () => {
    if (api && api.exitCode === null) {
      const exited = new Promise((resolve) => api.once('exit', resolve));
      api.kill('SIGTERM');
      await exited;
    }
    await smtp?.stop();
    await redis?.destroy();
    await cluster?.destroy();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  }, 60_000);

  async function spansOf(correlationId: string, wanted: (found: ExportedSpan[]) => boolean): Promise<ExportedSpan[]> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const found = spans.filter((span) => span.attributes['quarterly.correlation_id'] === correlationId);
      if (wanted(found)) return found;
      if (Date.now() > deadline) throw new Error(`spans for ${correlationId}: ${JSON.stringify(found.map((s) => [s.scope, s.name]))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  it("joins a command's HTTP and PostgreSQL spans in one trace, each carrying the correlation id", async () => {
    const token = await new LocalTokenIssuer(loadAppConfig({ JWT_SECRET }).auth).issue({ id: 'p.team' });
    const response = await fetch(`${baseUrl}/people`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-correlation-id': 'trace-me-1' },
      body: JSON.stringify({ personId: 'traced', name: 'Traced Person', email: 'traced@council.example', roles: ['auditor'] }),
    });
    expect(response.status).toBe(201);
    const found = await spansOf('trace-me-1', (list) => list.some((s) => s.scope.includes('http')) && list.some((s) => s.scope.includes('pg')));
    const server = found.find((span) => span.scope.includes('http') && span.kind === 2)!; // SERVER
    expect(server.attributes['http.route'] ?? server.name).toBeDefined();
    const database = found.filter((span) => span.scope.includes('pg'));
    expect(database.length).toBeGreaterThan(0);
    expect(database.every((span) => span.traceId === server.traceId)).toBe(true);
  }, 60_000);

  it("traces the reminder jobs: BullMQ spans for queueing an opened cycle's timers and for processing a notice's mail", async () => {
    const token = await new LocalTokenIssuer(loadAppConfig({ JWT_SECRET }).auth).issue({ id: 'p.team' });
    const asTeam = (method: string, path: string, body: unknown) =>
      fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(
      (
        await asTeam('POST', '/kpis', {
          kpiId: 'TR-01', title: 'Traced', definition: 'Traced.', directorate: 'Place', serviceArea: 'Street Scene', planOutcome: '1.2.1',
          unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period',
          dataSource: 'system', limitations: '', benchmarkSources: [], labels: 'green_amber_red', owner: 's.lead', keyContacts: [],
        })
      ).status,
    ).toBe(201);
    // After the register: a person's directorate must be one the register's KPIs belong to.
    expect((await asTeam('POST', '/people', { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: 'Place' })).status).toBe(201);
    // Returns due three working days from now by the system clock: the first reminder is due today
    // (or has just passed), so its timer is queued and fires at once; the later ones wait.
    const due = workingDaysFromToday(3);
    const plus = (days: number) => new Date(Date.parse(`${due}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const opened = await asTeam('POST', '/cycles', {
      cycleId: '2026/27-Q2',
      timetable: { returnsDue: due, dmtReviewDeadline: plus(7), cltDate: plus(14), publicationDate: plus(28) },
    });
    expect(opened.status).toBe(201);
    // A job processed whatever the day and hour: the timers above fire at 09:00 on working days
    // only (before 09:00, or at a weekend, none is due yet), while a DMT's escalation is mailed
    // at once, as a job on the mail queue.
    for (const person of [
      { personId: 'd.place', name: 'Dana Place', email: 'dana@council.example', roles: ['dmt'], directorate: 'Place' },
      { personId: 'c.exec', name: 'Chris Exec', email: 'chris@council.example', roles: ['clt'] },
    ]) {
      expect((await asTeam('POST', '/people', person)).status).toBe(201);
    }
    const dmt = { authorization: `Bearer ${await new LocalTokenIssuer(loadAppConfig({ JWT_SECRET }).auth).issue({ id: 'd.place' })}`, 'content-type': 'application/json' };
    let etag: string | null = null;
    for (const until = Date.now() + 20_000; etag === null && Date.now() < until; ) {
      const found = await fetch(`${baseUrl}/returns/TR-01/2026-27-Q2`, { headers: dmt });
      if (found.status === 200) etag = found.headers.get('etag');
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const escalated = await fetch(`${baseUrl}/returns/TR-01/2026-27-Q2/escalation`, {
      method: 'POST',
      headers: { ...dmt, 'if-match': etag ?? '' },
      body: JSON.stringify({ level: 'clt', reason: 'Traced: no figure yet.' }),
    });
    expect(escalated.status).toBe(200);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const bullmq = spans.filter((span) => span.scope === 'quarterly-bullmq');
      const queued = bullmq.filter((span) => span.kind === 4); // PRODUCER (OTLP numbering)
      const processed = bullmq.filter((span) => span.kind === 5); // CONSUMER
      if (queued.length > 0 && processed.length > 0) {
        // The job carries its producer's context: processing continues the trace that queued it.
        expect(processed.some((span) => queued.some((producer) => producer.traceId === span.traceId))).toBe(true);
        break;
      }
      if (Date.now() > deadline) throw new Error(`BullMQ spans: ${JSON.stringify(bullmq.map((s) => [s.kind, s.name]))}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 60_000);

  it("joins the readiness check's Redis command to its HTTP request", async () => {
    expect((await fetch(`${baseUrl}/health/ready`, { headers: { 'x-correlation-id': 'trace-me-2' } })).status).toBe(200);
    const found = await spansOf('trace-me-2', (list) => list.some((s) => s.scope.includes('ioredis')) && list.some((s) => s.scope.includes('http')));
    const server = found.find((span) => span.scope.includes('http') && span.kind === 2)!;
    const redisSpans = found.filter((span) => span.scope.includes('ioredis'));
    expect(redisSpans.map((span) => span.name)).toContain('ping');
    expect(redisSpans.every((span) => span.traceId === server.traceId)).toBe(true);
  }, 60_000);
});

/** The date (UTC) `days` working days (Monday to Friday) after today. */
function workingDaysFromToday(days: number): string {
  const date = new Date();
  for (let left = days; left > 0; ) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6) left--;
  }
  return date.toISOString().slice(0, 10);
}

import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { PRINCIPALS } from '@quarterly/testing/e2e-fixtures';
import { PostgresTestCluster } from '@quarterly/testing/postgres-test-cluster';
import { WriteLoad } from '@quarterly/testing/write-load';

// The API in PostgreSQL mode, on a cluster of this test's own, while PostgreSQL goes away under a
// steady write load: stopped as an operator restarts it (`pg_ctl stop -m fast`: every session
// ends with 57P01), then killed with SIGKILL as a crash would. The process must stay up, refuse
// with 503 problem details within 1 s while the database is away, answer its health checks within
// 2 s, accept writes again within 5 s of the database's return without a restart, keep every
// write it acknowledged, and bring its projections up to date.

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('when PostgreSQL goes away under write load (its own cluster)', () => {
  let cluster: PostgresTestCluster;
  let api: ApiTestApp;
  let team: ApiClient;
  const exits: number[] = [];
  const onExit = (code: number) => exits.push(code);

  beforeAll(async () => {
    cluster = await PostgresTestCluster.create();
    api = await startApiTestApp({ store: 'postgres', databaseUrl: cluster.url, schema: 'outage' });
    team = api.as(PRINCIPALS.team);
    process.on('exit', onExit);
  }, 60_000);

  afterAll(async () => {
    process.off('exit', onExit);
    await api?.close();
    await cluster?.destroy();
  });

  describe.each([
    ['stopped with pg_ctl stop -m fast', (c: PostgresTestCluster) => c.stop()],
    ['killed with SIGKILL', (c: PostgresTestCluster) => c.kill()],
  ])('and it is %s', (_, breakIt) => {
    it('stays up, refuses with 503 quickly, recovers by itself, and loses no acknowledged write', async () => {
      const load = WriteLoad.start(team, { prefix: `w${Date.now().toString(36)}` });
      try {
        await load.until((outcomes) => outcomes.filter((o) => o.status === 201).length >= 10, 'writes before the outage');

        await breakIt(cluster);
        const refusalsBefore = load.outcomes.filter((o) => o.status === 503).length;
        await load.until((outcomes) => outcomes.filter((o) => o.status === 503).length >= refusalsBefore + 5, 'refusals during the outage');

        // A command: 503 store_unavailable, as problem details, within 1 s.
        const command = await timed(() =>
          team('POST', '/people', { body: { personId: `down-${Date.now()}`, name: 'Down', email: 'down@council.example', roles: ['auditor'] } }),
        );
        expect(command.value.status).toBe(503);
        expect(command.value.headers.get('content-type')).toContain('application/problem+json');
        expect(command.value.headers.get('x-correlation-id')).toBeTruthy();
        expect(command.value.headers.get('retry-after')).toBe('2');
        expect(command.value.body).toMatchObject({ status: 503, code: 'store_unavailable' });
        expect(command.ms).toBeLessThan(1_000);

        // A query: 503 within 1 s. Its caller is first looked up in the directory (the person's
        // stream, in the event store), so the store's outage is what it meets first.
        const query = await timed(() => team('GET', '/people'));
        expect(query.value.status).toBe(503);
        expect(query.value.headers.get('content-type')).toContain('application/problem+json');
        expect(['store_unavailable', 'read_models_unavailable']).toContain((query.value.body as { code: string }).code);
        expect(query.ms).toBeLessThan(1_000);

        // Health: liveness is fine; readiness says unavailable with short reasons, within 2 s.
        expect((await fetch(`${api.baseUrl}/health/live`)).status).toBe(200);
        const health = await timed(() => fetch(`${api.baseUrl}/health/ready`));
        expect(health.ms).toBeLessThan(2_000);
        expect(health.value.status).toBe(503);
        const report = (await health.value.json()) as any;
        expect(report.status).toBe('unavailable');
        expect(report.checks.eventStore).toEqual({ status: 'down', reason: expect.any(String) });
        expect(report.checks.readModels).toEqual({ status: 'down', reason: expect.any(String) });
        // Raw errors go to the directory's performance team; while the store that holds the
        // directory is down nobody can be looked up, so even their token sees the short reasons
        // (the raw error is in the log, under the answer's correlation id).
        const operatorView = (await fetch(`${api.baseUrl}/health/ready`, {
          headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}` },
        }).then((response) => response.json())) as any;
        expect(operatorView.checks.eventStore).toEqual({ status: 'down', reason: expect.any(String) });

        await cluster.start();
        const back = Date.now();
        const accepted = await eventually(async () => {
          const response = await team('POST', '/people', {
            body: { personId: `back-${Date.now()}`, name: 'Back', email: 'back@council.example', roles: ['auditor'] },
          });
          return response.status === 201 ? response : undefined;
        }, 'a write accepted after the return');
        expect(Date.now() - back).toBeLessThan(5_000);
        expect(accepted.status).toBe(201);

        await load.until((outcomes) => outcomes.slice(-5).length === 5 && outcomes.slice(-5).every((o) => o.status === 201), 'the load to succeed again');
      } finally {
        await load.stop();
      }

      // Never a 500, never a dropped connection: every answer was an acknowledgement or a 503.
      const answers = new Set(load.outcomes.map((o) => (o.status === 503 ? `503 ${o.code}` : String(o.status))));
      expect([...answers].every((answer) => answer === '201' || answer === '503 store_unavailable' || answer === '503 read_models_unavailable')).toBe(true);
      expect(exits).toEqual([]);

      // Every acknowledged write is in the store...
      for (const personId of load.acknowledged) {
        const events = await api.engine.store.readStream(`person-${personId}`);
        expect(events.map((event) => event.type)).toEqual(['PersonRegistered']);
      }
      // ...and the projections catch up with all of it.
      await eventually(async () => {
        const directory = await team('GET', '/people');
        if (directory.status !== 200) return undefined;
        const ids = new Set((directory.body as Array<{ personId: string }>).map((person) => person.personId));
        return load.acknowledged.every((personId) => ids.has(personId)) ? true : undefined;
      }, 'the people directory to hold every acknowledged person');
      const ready = await fetch(`${api.baseUrl}/health/ready`);
      expect(ready.status).toBe(200);
    }, 90_000);
  });
});

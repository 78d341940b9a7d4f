import { Client } from 'pg';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

// In PostgreSQL mode the store only hands out events below the cluster's transaction horizon
// (docs/adr: PostgreSQL global position), so one long-running write transaction anywhere on the
// cluster holds every projection back. The API must then say "try again" (503), not fail (500).
const describeWithPostgres = process.env.DATABASE_URL ? describe : describe.skip;

describeWithPostgres('when the projections cannot catch up (PostgreSQL, a transaction held open)', () => {
  let api: ApiTestApp;
  let team: ApiClient;
  let blocker: Client;

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'postgres', now: '2026-10-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    blocker = new Client({ connectionString: process.env.DATABASE_URL });
    await blocker.connect();
  });

  afterAll(async () => {
    await blocker?.query('rollback').catch(() => undefined);
    await blocker?.end();
    await api?.close();
  });

  it('answers an opening that needs the register with 503, and opens it once the transaction ends', async () => {
    await blocker.query('begin');
    await blocker.query('select pg_current_xact_id()'); // takes a transaction id: the horizon stops here
    await defineKpi(team, 'LAG-01');

    const refused = await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ code: 'read_models_behind', instance: '/cycles' });
    expect(await api.engine.store.readStream('cycle-2026-27-Q2')).toEqual([]);

    // Queries still answer, marked stale, rather than failing.
    const register = await team('GET', '/kpis');
    expect(register.status).toBe(200);
    expect(register.headers.get('x-read-model-stale')).toBe('true');

    await blocker.query('rollback');
    const opened = await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2' } });
    expect(opened.status).toBe(201);
    expect(opened.body.resource.requestedReturns.map((r: { kpiId: string }) => r.kpiId)).toEqual(['LAG-01']);
  }, 30_000);
});

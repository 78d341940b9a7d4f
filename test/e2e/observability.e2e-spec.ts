import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

// What an operator sees of a running API: the correlation id that ties a request to its log lines
// and to the events it caused, and the Prometheus metrics at /metrics.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

async function scrape(api: ApiTestApp): Promise<string> {
  const response = await fetch(`${api.baseUrl}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe.each(['sqlite', 'postgres'] as const)('observability (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('the correlation id', () => {
    it('is generated for a request without one, returned in X-Correlation-Id, and stored on the events it caused', async () => {
      const response = expectStatus(await team('POST', '/kpis', { body: kpiBody('COR-01') }), 201);
      const correlationId = response.headers.get('x-correlation-id');
      expect(correlationId).toMatch(UUID);
      const events = await api.engine.store.readStream('kpi-COR-01');
      expect(events.length).toBeGreaterThan(0);
      expect(events.every((event) => event.metadata.correlationId === correlationId)).toBe(true);
    });

    it("keeps the caller's id, on the answer and on the events", async () => {
      const response = expectStatus(await team('POST', '/kpis', { body: kpiBody('COR-02'), headers: { 'x-correlation-id': 'import-2026-10-01.batch-7' } }), 201);
      expect(response.headers.get('x-correlation-id')).toBe('import-2026-10-01.batch-7');
      const events = await api.engine.store.readStream('kpi-COR-02');
      expect(events.map((event) => event.metadata.correlationId)).toEqual(events.map(() => 'import-2026-10-01.batch-7'));
    });

    it('replaces an id that is not a plain token with a generated one, and says which', async () => {
      const response = await team('GET', '/kpis', { headers: { 'x-correlation-id': 'two words <script>' } });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-correlation-id')).toMatch(UUID);
    });

    it('is on refusals too (problem details) and on public routes', async () => {
      const refused = await fetch(`${api.baseUrl}/kpis`);
      expect(refused.status).toBe(401);
      expect(refused.headers.get('x-correlation-id')).toMatch(UUID);
      const health = await fetch(`${api.baseUrl}/health/live`, { headers: { 'x-correlation-id': 'probe-1' } });
      expect(health.headers.get('x-correlation-id')).toBe('probe-1');
    });
  });

  describe('/metrics', () => {
    it('shows a projection held back: its lag in events and seconds rises, and falls to zero once it runs again', async () => {
      // The value history: defining a KPI waits for the register's projection only, so that one must run.
      const history = api.engine.projectionRunners.find((runner) => runner.projection.name === 'value-history')!;
      await history.stop();
      try {
        await defineKpi(team, 'LAG-01');
        await defineKpi(team, 'LAG-02');
        api.clock.advance(90_000); // the held events are now 90 s old by the engine's clock
        const audit = api.engine.projectionRunners.find((runner) => runner.projection.name === 'audit-log')!;
        await audit.waitForPosition(api.engine.executor.lastAppendedPosition!);
        const held = await scrape(api);
        expect(sample(held, 'quarterly_projection_lag_events{projection="value-history"}')).toBeGreaterThanOrEqual(4);
        expect(sample(held, 'quarterly_projection_lag_seconds{projection="value-history"}')).toBeGreaterThanOrEqual(90);
        // The projections still running are not behind.
        expect(sample(held, 'quarterly_projection_lag_events{projection="audit-log"}')).toBe(0);
      } finally {
        await history.start();
      }
      await api.engine.waitForProjections(api.engine.executor.lastAppendedPosition!);
      const caughtUp = await scrape(api);
      expect(sample(caughtUp, 'quarterly_projection_lag_events{projection="value-history"}')).toBe(0);
      expect(sample(caughtUp, 'quarterly_projection_lag_seconds{projection="value-history"}')).toBe(0);
    });

    it('times requests by route template and status, and appends by outcome', async () => {
      expectStatus(await team('GET', '/kpis/COR-01'), 200);
      expect((await team('GET', '/kpis/NOPE-99')).status).toBe(404);
      const text = await scrape(api);
      expect(sample(text, 'quarterly_http_request_duration_seconds_count{method="GET",route="/kpis/:kpiId",status_code="200"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'quarterly_http_request_duration_seconds_count{method="GET",route="/kpis/:kpiId",status_code="404"}')).toBeGreaterThanOrEqual(1);
      expect(text).not.toContain('route="/kpis/COR-01"');
      expect(sample(text, 'quarterly_event_store_append_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(4);
      expect(text).toContain('process_cpu_seconds_total');
    });
  });
});

function kpiBody(kpiId: string): Record<string, unknown> {
  return {
    kpiId, title: `Indicator ${kpiId}`, definition: `The definition of ${kpiId}.`, directorate: 'Place', serviceArea: 'Waste',
    planOutcome: '1.2.1 Keep our city clean', unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly',
    measureType: 'in_period', dataSource: 'Service system', limitations: '', benchmarkSources: [], labels: 'green_amber_red',
    owner: PRINCIPALS.placeLead.id, keyContacts: [],
  };
}

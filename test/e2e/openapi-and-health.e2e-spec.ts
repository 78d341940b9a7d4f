import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';

// The public surface that needs no token: the OpenAPI document and the readiness probe. One
// store is enough here: nothing below depends on it beyond the health checks' names.
describe('the OpenAPI document and the health probe', () => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('lists every feature path and the bearer scheme at /docs-json, without a token', async () => {
    const response = await fetch(`${api.baseUrl}/docs-json`);
    expect(response.status).toBe(200);
    // The OpenAPI document as JSON: its shape is asserted below, not typed.
    const document = (await response.json()) as any;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.info).toMatchObject({ title: 'Quarterly' });
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/kpis',
        '/kpis/{kpiId}',
        '/kpis/{kpiId}/targets/{financialYear}',
        '/kpis/{kpiId}/history',
        '/cycles',
        '/cycles/{period}/status-board',
        '/cycles/{period}/deadline-extensions',
        '/cycles/{period}/closure',
        '/returns/{kpiId}/{period}',
        '/returns/{kpiId}/{period}/submission',
        '/returns/{kpiId}/{period}/approval',
        '/returns/{kpiId}/{period}/restatement',
        '/people',
        '/scorecards/{period}',
        '/scorecards/{period}/exceptions',
        '/health',
      ]),
    );
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    // Guarded operations declare the scheme; the approval documents its required If-Match.
    const approval = document.paths['/returns/{kpiId}/{period}/approval'].post;
    expect(approval.security).toEqual([{ bearer: [] }]);
    expect(approval.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'If-Match', in: 'header', required: true })]));
    const submission = document.paths['/returns/{kpiId}/{period}/submission'].post;
    expect(submission.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/SubmitReturnDto');
    expect(document.components.schemas.SubmitReturnDto.required).toEqual(expect.arrayContaining(['value', 'commentary']));
  });

  it('serves the interactive documentation as HTML at /docs', async () => {
    const response = await fetch(`${api.baseUrl}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('swagger-ui');
  });

  it('answers /health without a token: 200, each dependency up, the projections listed', async () => {
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ status: 'ready', checks: { eventStore: { status: 'up' }, readModels: { status: 'up' } } });
    expect(body.projections.length).toBe(api.engine.projectionRunners.length);
    expect(body.projections[0]).toEqual(expect.objectContaining({ name: expect.any(String), state: expect.any(String) }));
  });

  it('answers /health with 503 once the store is gone', async () => {
    // Closing the event store underneath the running API is what an outage looks like to it.
    await api.engine.store.close();
    const response = await fetch(`${api.baseUrl}/health`);
    expect(response.status).toBe(503);
    expect(((await response.json()) as any).checks.eventStore.status).toBe('down');
  });
});

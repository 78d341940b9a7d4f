import { QuarterlyEngine } from '@quarterly/platform';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, pathOf, PRINCIPALS, settle, submitAndApprove } from '@quarterly/testing/e2e-fixtures';
import { sql } from 'kysely';
import { rebuildLogSourceOf, rebuildProjections } from './rebuild-projections.command';

/** A write stream that is not a terminal, keeping what was written. */
function captureStream(): { stream: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = { isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join('') };
}

const json = (value: unknown) => JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));

/** Every row of every read-model table, in a stable order, keyed by table. */
async function snapshot(engine: QuarterlyEngine): Promise<Record<string, string[]>> {
  const tables = [...new Set(engine.projectionRunners.flatMap((runner) => [...runner.projection.tables]))].sort();
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(engine.readModels.db);
    result[table] = rows.map(json).sort();
  }
  return result;
}

async function checkpoints(engine: QuarterlyEngine): Promise<Record<string, string>> {
  const rows = await engine.readModels.db.selectFrom('projection_checkpoints').selectAll().execute();
  const names = new Set(engine.projectionRunners.map((runner) => runner.projection.name));
  return Object.fromEntries(rows.filter((row) => names.has(row.name)).map((row) => [row.name, json(row)]));
}

describe('rebuild-projections against a real SQLite engine', () => {
  let api: ApiTestApp;
  let team: ApiClient;

  beforeAll(async () => {
    // A lifecycle with every kind of event the projections read: register, people, cycles,
    // submissions, a challenge and resubmission, approvals, a restatement, a deadline extension.
    api = await startApiTestApp({ store: 'sqlite', now: '2026-07-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    const lead = api.as(PRINCIPALS.placeLead);
    const dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'ENV-01');
    // A person's directorate must be one the register holds: the KPI comes first.
    expectStatus(await team('POST', '/people', { body: { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: 'Place' } }), 201);
    await defineKpi(team, 'ENV-02', { frequency: 'monthly' });
    await defineKpi(team, 'TRK-01', { polarity: 'none' }, { financialYear: '2026-27', policy: { kind: 'tracker' } });
    await openCycle(api, team, '2026/27-Q1', { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' });
    await submitAndApprove(lead, dmt, 'ENV-01', '2026/27-Q1', '44.0');
    await submitAndApprove(lead, dmt, 'TRK-01', '2026/27-Q1', '12.0');
    expectStatus(await team('POST', '/cycles/2026-27-Q1/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-07-16', reason: 'Outage.' } }), 200);
    // A month outside the quarter is refused (the months known may be fewer than three).
    const submitted = expectStatus(
      await lead('POST', `/returns/ENV-02/${pathOf('2026/27-Q1')}/submission`, { body: { value: '46.0', commentary: 'x', monthlyValues: [{ month: '2026-07', value: '45.0' }] } }),
      400,
    );
    expect(submitted.body.errors[0].field).toBe('monthlyValues[0].month');
    const monthly = expectStatus(
      await lead('POST', `/returns/ENV-02/${pathOf('2026/27-Q1')}/submission`, {
        body: { value: '46.0', commentary: 'x', monthlyValues: [{ month: '2026-04', value: '45.0' }, { month: '2026-05', value: '46.0' }, { month: '2026-06', value: '47.0' }] },
      }),
      200,
    );
    const challenged = expectStatus(await dmt('POST', '/returns/ENV-02/2026-27-Q1/challenge', { body: { reason: 'Check May.' }, headers: { 'if-match': monthly.headers.get('etag')! } }), 200);
    expect(challenged.body.resource.status).toBe('challenged');
    const current = await lead('GET', '/returns/ENV-01/2026-27-Q1');
    expectStatus(await lead('POST', '/returns/ENV-01/2026-27-Q1/restatement', { body: { value: '45.5', reason: 'Late tonnage.' }, headers: { 'if-match': current.headers.get('etag')! } }), 200);
    expectStatus(await team('POST', '/cycles/2026-27-Q1/closure', {}), 200);
    await settle(api);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  it('rebuilds every read model from zero to exactly the rows it had, reporting progress line by line', async () => {
    const before = await snapshot(api.engine);
    expect(before['value_history']!.length).toBeGreaterThan(5);
    expect(before['audit_log']!.length).toBeGreaterThan(20);
    const checkpointsBefore = await checkpoints(api.engine);

    // The CLI opens its own engine on the same file and does not start it.
    const cli = await QuarterlyEngine.open(api.config);
    const { stream, text } = captureStream();
    try {
      const reports = await rebuildProjections(cli, [], stream);
      const total = (await cli.store.readAll({ limit: 10_000 })).length;
      expect(reports.map((r) => r.projection)).toEqual(cli.projectionRunners.map((r) => r.projection.name));
      expect(reports.every((r) => r.events === total && r.eventsPerSecond >= 0)).toBe(true);
    } finally {
      await cli.close();
    }

    expect(await snapshot(api.engine)).toEqual(before);
    const after = await checkpoints(api.engine);
    expect(Object.keys(after).sort()).toEqual(Object.keys(checkpointsBefore).sort());
    // A live runner may leave its stored checkpoint up to a second behind while it only skips
    // events; a rebuild ends at least where the live run had stored it.
    for (const name of Object.keys(after)) {
      expect(BigInt(JSON.parse(after[name]!).position)).toBeGreaterThanOrEqual(BigInt(JSON.parse(checkpointsBefore[name]!).position));
    }

    // Not a terminal: whole lines, no carriage returns, the one pass over every projection reaching 100%.
    const lines = text().split('\n').filter(Boolean);
    expect(text()).not.toContain('\r');
    expect(lines.every((line) => line.startsWith('all projections'))).toBe(true);
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(11);
    expect(lines[lines.length - 1]).toMatch(/100%/);
  });

  it('rebuilds with the log read, decoded and folded in a worker thread, to the same rows', async () => {
    const before = await snapshot(api.engine);
    const cli = await QuarterlyEngine.open(api.config);
    try {
      const source = rebuildLogSourceOf(api.config)!;
      expect(source).toEqual({ kind: 'sqlite', filename: expect.stringMatching(/quarterly\.sqlite$/) });
      const reports = await rebuildProjections(cli, [], captureStream().stream, { source });
      expect(Object.fromEntries(reports.map((r) => [r.projection, r.foldedInWorker]))).toEqual({
        'kpi-register': true,
        'people-directory': false,
        'status-board': true,
        'value-history': true,
        'audit-log': true,
      });
    } finally {
      await cli.close();
    }
    expect(await snapshot(api.engine)).toEqual(before);
  });

  it('rebuilds only the projections named, and refuses an unknown name before touching anything', async () => {
    const before = await snapshot(api.engine);
    const name = api.engine.projectionRunners[0]!.projection.name;
    const { stream, text } = captureStream();
    const reports = await rebuildProjections(api.engine, [name], stream);
    expect(reports.map((r) => r.projection)).toEqual([name]);
    expect(text().split('\n').filter(Boolean).every((line) => line.startsWith(name))).toBe(true);
    expect(await snapshot(api.engine)).toEqual(before);

    await expect(rebuildProjections(api.engine, [name, 'no-such-projection'], captureStream().stream)).rejects.toThrow(/unknown projection\(s\): no-such-projection; known: /);
    expect(await snapshot(api.engine)).toEqual(before);
  });

  it('leaves the running API answering from the rebuilt models', async () => {
    const history = await api.as(PRINCIPALS.auditor)('GET', '/kpis/ENV-01/history');
    expect(history.body.entries.map((e: { kind: string; value: string }) => [e.kind, e.value])).toEqual([
      ['submitted', '44.0'],
      ['approved', '44.0'],
      ['restated', '45.5'],
    ]);
    // The live projections follow new events again after a rebuild on the running engine.
    const moved = expectStatus(await team('PUT', '/kpis/TRK-01/ownership', { body: { owner: 'o.lead', keyContacts: [] } }), 200);
    const register = await team('GET', `/kpis?person=o.lead&after=${moved.body.position}`);
    expect(register.headers.get('x-read-model-stale')).toBeNull();
    expect(register.body.map((k: { kpiId: string }) => k.kpiId)).toEqual(['TRK-01']);
  });
});

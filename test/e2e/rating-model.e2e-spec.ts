import { parse } from 'csv-parse/sync';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';

const LAST_Q4 = { returnsDue: '2026-04-17', dmtReviewDeadline: '2026-04-24', cltDate: '2026-05-01', publicationDate: '2026-05-15' };
const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const YEAR = { kind: 'thresholds', green: '45.0', amber: '40.0' };
const Q1_PROFILE = { kind: 'thresholds', green: '42.0', amber: '38.0' };

/**
 * A council that rates the year-to-date recycling rate against a quarterly profile and compares
 * it with last year's outturn (the year-to-date figure at Q4), over HTTP on both stores: the
 * targets API takes the period, the rated figure and the basis; a return carries both figures;
 * the scorecard (JSON and CSV) compares as stated and prints the basis beside the direction.
 */
describe.each(['sqlite', 'postgres'] as const)('the rating model a council publishes, over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-04-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'REC-01', { title: 'Household waste recycled', unitLabel: 'of household waste' }, { financialYear: '2025-26', policy: YEAR });
    // Last year's Q4: the quarter's own rate, with the year's (the outturn) beside it.
    await openCycle(api, team, '2025/26-Q4', LAST_Q4);
    const q4 = expectStatus(
      await lead('POST', '/returns/REC-01/2025-26-Q4/submission', { body: { value: '46.0', yearToDateValue: '43.2', commentary: 'Garden waste season.' } }),
      200,
    );
    expectStatus(await dmt('POST', '/returns/REC-01/2025-26-Q4/approval', { body: {}, headers: { 'if-match': q4.headers.get('etag')! } }), 200);
    api.clock.set('2026-06-20T09:00:00Z');
  }, 90_000);

  afterAll(async () => {
    await api?.close();
  });

  it("refuses a period's target before the year's, naming the field, and writes nothing", async () => {
    const refused = await team('PUT', '/kpis/REC-01/targets/2026-27', { body: { policy: Q1_PROFILE, period: 'Q1' } });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.map((e: { field: string }) => e.field)).toEqual(['period']);
    const unknown = await team('PUT', '/kpis/REC-01/targets/2026-27', { body: { policy: YEAR, lastYearBasis: 'last_quarter' } });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('lastYearBasis');
    const kpi = expectStatus(await team('GET', '/kpis/REC-01'), 200);
    expect(kpi.body.targets['2026/27']).toBeUndefined();
  });

  it('sets the year (rated figure, basis) and a Q1 profile, and lists them in the register', async () => {
    expectStatus(
      await team('PUT', '/kpis/REC-01/targets/2026-27', { body: { policy: YEAR, ratedFigure: 'year_to_date', lastYearBasis: 'last_year_outturn' } }),
      200,
    );
    const profiled = expectStatus(await team('PUT', '/kpis/REC-01/targets/2026-27', { body: { policy: Q1_PROFILE, period: 'Q1' } }), 200);
    expect(profiled.body.resource.targets['2026/27']).toEqual({
      policy: YEAR,
      periods: { Q1: Q1_PROFILE },
      ratedFigure: 'year_to_date',
      lastYearBasis: 'last_year_outturn',
    });
    await settle(api);
    const register = expectStatus(await team('GET', '/kpis'), 200);
    const entry = register.body.find((k: { kpiId: string }) => k.kpiId === 'REC-01');
    expect(entry.unitLabel).toBe('of household waste');
    expect(entry.targets.find((t: { financialYear: string }) => t.financialYear === '2026/27')).toMatchObject({
      policy: YEAR,
      periods: { Q1: Q1_PROFILE },
      ratedFigure: 'year_to_date',
      lastYearBasis: 'last_year_outturn',
    });
  });

  it('rates the year-to-date figure with the Q1 profile and keeps the in-period figure beside it', async () => {
    api.clock.set('2026-07-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q1', Q1);
    // The rated figure given twice must agree.
    const disagreeing = await lead('POST', '/returns/REC-01/2026-27-Q1/submission', { body: { value: '44.0', yearToDateValue: '44.1', commentary: 'Good start.' } });
    expect(disagreeing.status).toBe(400);
    expect(disagreeing.body.errors.map((e: { field: string }) => e.field)).toEqual(['yearToDateValue']);
    // 44.0 is amber against the year's 45.0 (a reason would be asked for) but green against Q1's 42.0.
    const submitted = expectStatus(
      await lead('POST', '/returns/REC-01/2026-27-Q1/submission', { body: { value: '44.0', inPeriodValue: '44.0', commentary: 'Good start.' } }),
      200,
    );
    expect(submitted.body.resource.currentRating).toMatchObject({
      status: 'green',
      policy: Q1_PROFILE,
      period: 'Q1',
      ratedFigure: 'year_to_date',
      lastYearBasis: 'last_year_outturn',
    });
    expectStatus(await dmt('POST', '/returns/REC-01/2026-27-Q1/approval', { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
    await settle(api);
  });

  it("compares with last year's outturn as stated, and prints the basis beside the direction", async () => {
    const card = expectStatus(await team('GET', '/scorecards/2026-27-Q1'), 200);
    const entry = card.body.entries.find((e: { kpiId: string }) => e.kpiId === 'REC-01');
    expect(entry).toMatchObject({
      value: '44.0',
      inPeriodValue: '44.0',
      status: 'green',
      target: Q1_PROFILE,
      ratedFigure: 'year_to_date',
      unitLabel: 'of household waste',
      // Not last year's Q4 quarter (46.0, which would read as declining) but its outturn, 43.2.
      lastYear: { periodCovered: '2025/26-Q4', value: '46.0', yearToDateValue: '43.2' },
      directionVsLastYear: 'improving',
      vsLastYear: { basis: 'last_year_outturn', label: 'vs 2025/26 outturn', comparedWith: '43.2', direction: 'improving' },
    });
    expect(card.body.summary.crossTableVsLastYear.met.better).toBe(1);
    const token = await api.tokenFor(PRINCIPALS.auditor);
    const csv = await fetch(`${api.baseUrl}/scorecards/2026-27-Q1?format=csv`, { headers: { authorization: `Bearer ${token}` } });
    expect(csv.status).toBe(200);
    const rows = parse(Buffer.from(await csv.arrayBuffer()), { bom: true }) as string[][];
    const header = rows[0]!;
    const row = rows.find((r) => r[0] === 'REC-01')!;
    const cell = (column: string) => row[header.indexOf(column)];
    expect(cell('Figure')).toBe('44.0');
    expect(cell('Unit')).toBe('of household waste');
    expect(cell('Target')).toBe('Green 42.0% of household waste or more, amber 38.0% of household waste or more');
    expect(cell('Compared with last year')).toBe('↑ Improving');
    expect(cell('Last year basis')).toBe('vs 2025/26 outturn');
    expect(cell('In-period figure')).toBe('44.0');
  });
});

import * as fc from 'fast-check';
import { personStreamId } from '@quarterly/domain';
import { LocalTokenIssuer, loadAppConfig } from '@quarterly/platform';
import { startApiTestApp, type ApiClient, type ApiResponse, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, kpiDefinition, openCycle, PRINCIPALS, settle, submitFigure } from '@quarterly/testing/e2e-fixtures';

const RETURN = '/returns/ENV-01/2026-27-Q2';
const STREAM = 'return-ENV-01-2026-27-Q2';
const TIMETABLE = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

const fields = (response: ApiResponse) => (response.body.errors ?? []).map((e: { field: string }) => e.field).sort();

/** RFC 9457: every refusal names its type, title, status, detail and the request it answers. */
function expectProblem(response: ApiResponse, status: number, instance: string): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^urn:quarterly:problem:[a-z_]+$/),
      title: expect.any(String),
      status,
      detail: expect.any(String),
      instance,
    }),
  );
  expect(response.body.title).not.toBe('Error');
}

describe.each(['sqlite', 'postgres'] as const)('errors over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  let lead: ApiClient;
  let dmt: ApiClient;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    lead = api.as(PRINCIPALS.placeLead);
    dmt = api.as(PRINCIPALS.placeDmt);
    await defineKpi(team, 'ENV-01');
    await defineKpi(team, 'ENV-02');
    await openCycle(api, team, '2026/27-Q2', TIMETABLE);
  });

  afterAll(async () => {
    await api?.close();
  });

  describe('400: the request names each bad field', () => {
    it('missing fields, wrong types and unknown fields', async () => {
      const missing = await lead('POST', `${RETURN}/submission`, { body: {} });
      expectProblem(missing, 400, `${RETURN}/submission`);
      expect(new Set(fields(missing))).toEqual(new Set(['commentary', 'value']));

      const wrongTypes = await lead('POST', `${RETURN}/submission`, { body: { value: 41.2, commentary: 7, monthlyValues: 'July' } });
      expect(wrongTypes.status).toBe(400);
      expect(new Set(fields(wrongTypes))).toEqual(new Set(['value', 'commentary', 'monthlyValues']));

      const unknown = await lead('POST', `${RETURN}/submission`, { body: { value: '41.2', commentary: 'x', figure: '41.2', approvedBy: 'me' } });
      expect(unknown.status).toBe(400);
      expect(fields(unknown)).toEqual(['approvedBy', 'figure']);

      const nested = await lead('POST', `${RETURN}/submission`, { body: { value: '41.2', commentary: 'x', monthlyValues: [{ month: '2026-13', value: 'x' }] } });
      expect(nested.status).toBe(400);
      expect(fields(nested)).toEqual(['monthlyValues[0].month', 'monthlyValues[0].value']);

      const kpi = await team('POST', '/kpis', { body: { kpiId: 'X-1', decimalPlaces: 'one', frequency: 'weekly' } });
      expect(kpi.status).toBe(400);
      expect(fields(kpi)).toEqual(expect.arrayContaining(['decimalPlaces', 'frequency', 'title', 'owner', 'keyContacts']));
    });

    it('decimals: exponent, thousands separator, float, too precise for the KPI', async () => {
      for (const value of ['4.5e1', '1,000', ' 41', '41.', '.5', 'NaN', '--1']) {
        const response = await lead('POST', `${RETURN}/submission`, { body: { value, commentary: 'x' } });
        expect([value, response.status, fields(response)]).toEqual([value, 400, ['value']]);
      }
      // Two decimal places on a KPI reported to one: refused by the domain, still naming the field.
      const precise = await lead('POST', `${RETURN}/submission`, { body: { value: '46.25', commentary: 'x' } });
      expectProblem(precise, 400, `${RETURN}/submission`);
      expect(fields(precise)).toEqual(['value']);
      const target = await team('PUT', '/kpis/ENV-02/targets/2026-27', { body: { policy: { kind: 'thresholds', green: 'high', amber: '40' } } });
      expect(target.status).toBe(400);
      expect(fields(target)[0]).toMatch(/green/);
    });

    it('figures and targets outside what the KPI can be: a percentage over 100 or below 0', async () => {
      const over = await lead('POST', `${RETURN}/submission`, { body: { value: '250.0', commentary: 'x' } });
      expectProblem(over, 400, `${RETURN}/submission`);
      expect(over.body.errors).toEqual([{ field: 'value', message: '250.0 is outside the valid range 0 to 100' }]);
      expect((await lead('POST', `${RETURN}/submission`, { body: { value: '-0.5', commentary: 'x' } })).body.errors[0].field).toBe('value');
      const target = await team('PUT', '/kpis/ENV-02/targets/2027-28', { body: { policy: { kind: 'thresholds', green: '101', amber: '90' } } });
      expect(target.body.errors).toEqual([{ field: 'policy.green', message: '101 is outside the valid range 0 to 100' }]);
      const negativeTarget = await team('PUT', '/kpis/ENV-02/targets/2027-28', { body: { policy: { kind: 'met_not_met', target: '-5' } } });
      expect(fields(negativeTarget)).toEqual(['policy.target']);
      const badRange = await team('POST', '/kpis', { body: kpiDefinition('RNG-01', { validRange: { min: '10', max: '1' } }) });
      expect(fields(badRange)).toEqual(['validRange.max']);
      expect(await api.engine.store.readStream('kpi-RNG-01')).toEqual([]);
    });

    it('KPI ids unique regardless of case (409), directorates written one way and known to the register (400)', async () => {
      const clash = await team('POST', '/kpis', { body: kpiDefinition('env-01') });
      expectProblem(clash, 409, '/kpis');
      expect(clash.body).toMatchObject({ code: 'kpi_id_clash', detail: 'KPI env-01 would clash with ENV-01: KPI ids are unique regardless of case' });
      expect(await api.engine.store.readStream('kpi-env-01')).toEqual([]);

      const variant = await team('POST', '/kpis', { body: kpiDefinition('ENV-09', { directorate: 'place ' }) });
      expect(variant.body.errors).toEqual([{ field: 'directorate', message: 'is written "Place" in the register, not "place "' }]);

      const unknown = await team('POST', '/people', { body: { personId: 'd.nowhere', name: 'Dee Nowhere', email: 'dee@council.example', roles: ['dmt'], directorate: 'Nowhere' } });
      expectProblem(unknown, 400, '/people');
      expect(fields(unknown)).toEqual(['directorate']);
      expect(unknown.body.detail).toContain('Nowhere is not a directorate of the register');
      expect(await api.engine.store.readStream(personStreamId('d.nowhere'))).toEqual([]);
      expectStatus(await team('POST', '/people', { body: { personId: 'd.somewhere', name: 'Dee Somewhere', email: 'dee@council.example', roles: ['dmt'], directorate: 'Place' } }), 201);
    });

    it('dates, periods in the path and asAt', async () => {
      const badDate = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'returnsDue', to: '2026-02-30', reason: 'x' } });
      expectProblem(badDate, 400, '/cycles/2026-27-Q2/deadline-extensions');
      expect(fields(badDate)).toEqual(['to']);
      const notADate = await team('POST', '/cycles/2026-27-Q2/deadline-extensions', { body: { deadline: 'returnsDue', to: 'next week', reason: 'x' } });
      expect(fields(notADate)).toEqual(['to']);

      for (const path of ['/returns/ENV-01/2026-Q2', '/returns/ENV-01/2026-27-Q5', '/cycles/2026-28-Q1', '/scorecards/Q2-2026-27', '/cycles/2026-27-Q2/status-board'.replace('2026-27', '2026_27')]) {
        const response = await team('GET', path);
        expectProblem(response, 400, path);
        expect([path, fields(response)]).toEqual([path, ['period']]);
      }
      const year = await team('PUT', '/kpis/ENV-02/targets/2026', { body: { policy: { kind: 'tracker' } } });
      expect(fields(year)).toEqual(['financialYear']);

      for (const asAt of ['yesterday', '2026-13-01T00:00:00Z', '1700000000']) {
        const response = await team('GET', `/scorecards/2026-27-Q2?asAt=${encodeURIComponent(asAt)}`);
        expectProblem(response, 400, `/scorecards/2026-27-Q2?asAt=${encodeURIComponent(asAt)}`);
        expect([asAt, fields(response)]).toEqual([asAt, ['asAt']]);
      }
      expect(fields(await team('GET', '/kpis/ENV-01/history?asAt=soon'))).toEqual(['asAt']);
      expect(fields(await team('GET', '/kpis?after=-1'))).toEqual(['after']);
      expect(fields(await team('GET', '/kpis?colour=red'))).toEqual(['colour']);
      expect(fields(await team('GET', '/kpis/bad%20id!/history'))).toEqual(['kpiId']);
      expect(fields(await team('GET', '/kpis/ENV-01/history?period=last-quarter'))).toEqual(['period']);
    });

    it('a body that is not JSON, and headers that are malformed', async () => {
      const token = await api.tokenFor(PRINCIPALS.placeLead);
      const malformed = await fetch(`${api.baseUrl}${RETURN}/submission`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{"value": "41.2", ',
      });
      expect(malformed.status).toBe(400);
      expect(malformed.headers.get('content-type')).toContain('application/problem+json');

      const badKey = await lead('POST', `${RETURN}/submission`, { body: { value: '46.0', commentary: 'x' }, headers: { 'idempotency-key': 'short' } });
      expectProblem(badKey, 400, `${RETURN}/submission`);
      const badIfMatch = await dmt('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': 'version 3' } });
      expectProblem(badIfMatch, 400, `${RETURN}/approval`);
    });
  });

  describe('400: a JSON body naming a key twice', () => {
    it('refuses it naming the key, writing nothing, instead of keeping the last value', async () => {
      const token = await api.tokenFor(PRINCIPALS.placeLead);
      const before = await api.engine.store.readStream(STREAM);
      const send = (body: string) =>
        fetch(`${api.baseUrl}${RETURN}/submission`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
      const topLevel = await send('{"value": "41.0", "commentary": "Checked.", "value": "14.0"}');
      const problem = (await topLevel.json()) as { status: number; errors: Array<{ field: string }> };
      expect(topLevel.status).toBe(400);
      expect(topLevel.headers.get('content-type')).toContain('application/problem+json');
      expect(problem.errors.map((e) => e.field)).toEqual(['value']);
      const escaped = await send('{"value": "41.0", "commentary": "Checked.", "\\u0063ommentary": "Not checked."}');
      expect(escaped.status).toBe(400);
      expect(((await escaped.json()) as { errors: Array<{ field: string }> }).errors.map((e) => e.field)).toEqual(['commentary']);
      expect(await api.engine.store.readStream(STREAM)).toEqual(before);
    });
  });

  describe('400: text PostgreSQL could not keep as sent', () => {
    it('refuses NUL and lone surrogates in bodies and queries, naming the field, writing nothing', async () => {
      const before = await api.engine.store.readStream(STREAM);
      const nul = await lead('POST', `${RETURN}/submission`, { body: { value: '46.0', commentary: 'Checked \u0000 twice.' } });
      expectProblem(nul, 400, `${RETURN}/submission`);
      expect(fields(nul)).toEqual(['commentary']);
      const surrogate = await team('POST', '/people', {
        body: { personId: 'l.one', name: 'Lone \ud800 Surrogate', email: 'lone@council.example', roles: ['auditor'] },
      });
      expect(fields(surrogate)).toEqual(['name']);
      expect(fields(await team('GET', '/kpis?directorate=Pl%00ace'))).toEqual(['directorate']);
      expect(fields(await team('GET', '/cycles/2026-27-Q2/status-board?directorate=%00'))).toEqual(['directorate']);
      expect(await api.engine.store.readStream(STREAM)).toEqual(before);
      expect(await api.engine.store.readStream(personStreamId('l.one'))).toEqual([]);
    });
  });

  describe('401: no valid bearer token', () => {
    const path = '/kpis';
    const call = (authorization?: string) => fetch(`${api.baseUrl}${path}`, authorization ? { headers: { authorization } } : {});

    it('refuses a request without a token, with garbage, with an expired token and with another secret', async () => {
      const expired = await new LocalTokenIssuer(api.config.auth).issue(PRINCIPALS.team, { now: new Date('2020-01-01T00:00:00Z'), expiresInSeconds: 60 });
      const otherSecret = await new LocalTokenIssuer(loadAppConfig({ JWT_SECRET: 'not-the-server-secret-but-long-enough-42' }).auth).issue(PRINCIPALS.team);
      const cases: Array<[string, string | undefined, RegExp]> = [
        ['none', undefined, /bearer token is required/],
        ['basic', 'Basic dXNlcjpwYXNz', /bearer token is required/],
        ['garbage', 'Bearer not.a.jwt', /not valid/],
        ['expired', `Bearer ${expired}`, /expired/],
        ['wrong secret', `Bearer ${otherSecret}`, /signature/],
      ];
      for (const [name, authorization, detail] of cases) {
        const response = await call(authorization);
        const body = await response.json();
        expect([name, response.status, response.headers.get('content-type')]).toEqual([name, 401, expect.stringContaining('application/problem+json')]);
        expect(body).toMatchObject({ status: 401, title: 'Unauthorized', instance: path, detail: expect.stringMatching(detail) });
      }
    });
  });

  describe('403: role and row-level access', () => {
    it('refuses a role that may not act, with nothing written', async () => {
      const before = await api.engine.store.readStream(STREAM);
      const auditor = await api.as(PRINCIPALS.auditor)('POST', `${RETURN}/submission`, { body: { value: '46.0', commentary: 'x' } });
      expectProblem(auditor, 403, `${RETURN}/submission`);
      expect(auditor.body.detail).toMatch(/service-lead/);
      expectProblem(await lead('POST', '/kpis', { body: {} }), 403, '/kpis');
      expectProblem(await api.as(PRINCIPALS.member)('GET', '/kpis'), 403, '/kpis');
      expectProblem(await lead('GET', '/people'), 403, '/people');
      expect(await api.engine.store.readStream(STREAM)).toEqual(before);
    });

    it("refuses a service lead on another's KPI and a DMT of another directorate", async () => {
      const before = await api.engine.store.readStream(STREAM);
      expectProblem(await api.as(PRINCIPALS.otherPlaceLead)('POST', `${RETURN}/submission`, { body: { value: '46.0', commentary: 'x' } }), 403, `${RETURN}/submission`);
      expectProblem(await api.as(PRINCIPALS.peopleLead)('POST', `${RETURN}/not-available`, { body: { reason: 'x' } }), 403, `${RETURN}/not-available`);
      expect(await api.engine.store.readStream(STREAM)).toEqual(before);

      const submitted = expectStatus(await submitFigure(lead, 'ENV-01', '2026/27-Q2', '46.0'), 200);
      const etag = submitted.headers.get('etag')!;
      const otherDmt = await api.as(PRINCIPALS.peopleDmt)('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': etag } });
      expectProblem(otherDmt, 403, `${RETURN}/approval`);
      expect(otherDmt.body.detail).toMatch(/Place/);
      expectProblem(await api.as(PRINCIPALS.peopleDmt)('POST', `${RETURN}/challenge`, { body: { reason: 'x' }, headers: { 'if-match': etag } }), 403, `${RETURN}/challenge`);
      expect((await api.engine.store.readStream(STREAM)).map((e) => e.type)).toEqual(['ReturnRequested', 'ReturnSubmitted']);
    });

    it('lets a member read a scorecard only once its cycle is closed', async () => {
      const member = api.as(PRINCIPALS.member);
      for (const path of ['/scorecards/2026-27-Q2', '/scorecards/2026-27-Q2/exceptions', '/scorecards/2026-27-Q2/changes?since=2026-10-01T00:00:00Z']) {
        expectProblem(await member('GET', path), 403, path);
      }
      expectProblem(await member('GET', '/cycles/2026-27-Q2/status-board'), 403, '/cycles/2026-27-Q2/status-board');

      await openCycle(api, team, '2026/27-Q1', { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' });
      expectProblem(await member('GET', '/scorecards/2026-27-Q1'), 403, '/scorecards/2026-27-Q1');
      const closure = expectStatus(await team('POST', '/cycles/2026-27-Q1/closure', {}), 200);
      const published = await member('GET', `/scorecards/2026-27-Q1?after=${closure.body.position}`);
      expect(published.status).toBe(200);
      expect(published.body.entries.map((e: { kpiId: string }) => e.kpiId)).toEqual(['ENV-01', 'ENV-02']);
      expect((await member('GET', '/scorecards/2026-27-Q1/exceptions')).status).toBe(200);
      // A quarter that was never opened is not published either.
      expectProblem(await member('GET', '/scorecards/2027-28-Q1'), 403, '/scorecards/2027-28-Q1');
    });
  });

  describe('404, 409, 412, 428', () => {
    it('answers 404 for what does not exist', async () => {
      for (const path of ['/returns/NOPE-1/2026-27-Q2', '/returns/ENV-01/2027-28-Q1', '/kpis/NOPE-1', '/kpis/NOPE-1/history', '/cycles/2030-31-Q1', '/cycles/2030-31-Q1/status-board', '/people/nobody', '/no/such/route', '/returns/NOPE-1/2026-27-Q2/history', '/returns/ENV-01/2027-28-Q1/audit']) {
        expectProblem(await team('GET', path), 404, path);
      }
      expectProblem(await lead('POST', '/returns/NOPE-1/2026-27-Q2/submission', { body: { value: '1.0', commentary: 'x' } }), 404, '/returns/NOPE-1/2026-27-Q2/submission');
      expectProblem(await team('POST', '/kpis/NOPE-1/retirement', { body: { reason: 'x', effectiveFrom: '2026/27-Q3' } }), 404, '/kpis/NOPE-1/retirement');
    });

    it('answers 409 with the current state for a step the return is not in', async () => {
      const again = await lead('POST', `${RETURN}/submission`, { body: { value: '47.0', commentary: 'again' } });
      expectProblem(again, 409, `${RETURN}/submission`);
      expect(again.body).toMatchObject({ code: 'illegal_transition', currentState: 'submitted' });
      const resubmit = await lead('POST', `${RETURN}/resubmission`, { body: { value: '47.0', commentary: 'x', responseToChallenge: 'x' } });
      expect(resubmit.body).toMatchObject({ status: 409, currentState: 'submitted' });
      const defineTwice = await team('POST', '/kpis', { body: kpiDefinition('ENV-01') });
      expectProblem(defineTwice, 409, '/kpis');
    });

    it('answers 412 with the current state and version for a stale If-Match, 428 without one', async () => {
      const current = await lead('GET', RETURN);
      const stale = await dmt('POST', `${RETURN}/approval`, { body: {}, headers: { 'if-match': '"0"' } });
      expectProblem(stale, 412, `${RETURN}/approval`);
      expect(stale.body).toMatchObject({ code: 'stale_version', currentState: 'submitted', currentVersion: current.body.version });

      const unconditional = await dmt('POST', `${RETURN}/approval`, { body: {} });
      expectProblem(unconditional, 428, `${RETURN}/approval`);
      expectProblem(await dmt('POST', `${RETURN}/challenge`, { body: { reason: 'x' } }), 428, `${RETURN}/challenge`);
      const kpi = await team('GET', '/kpis/ENV-02');
      const staleKpi = await team('PUT', '/kpis/ENV-02/ownership', { body: { owner: 'o.lead', keyContacts: [] }, headers: { 'if-match': `"${Number(kpi.body.version) + 1}"` } });
      expectProblem(staleKpi, 412, '/kpis/ENV-02/ownership');
      expect(staleKpi.body.currentState).toBe('active');
      expect((await api.engine.store.readStream(STREAM)).map((e) => e.type)).toEqual(['ReturnRequested', 'ReturnSubmitted']);
    });
  });

  describe('no request produces a 500', () => {
    it('survives a few hundred random submission bodies, writing events only when it answers 200', async () => {
      await settle(api);
      const target = '/returns/ENV-02/2026-27-Q2/submission';
      const stream = 'return-ENV-02-2026-27-Q2';
      const token = await api.tokenFor(PRINCIPALS.placeLead);
      const decimal = fc.oneof(
        fc.constantFrom('46.0', '41.2', '0', '-3.5', '46.25', '1e3', '', ' ', '١٢', '99999999999999999999'),
        fc.string(),
        fc.double().map(String),
        fc.integer(),
        fc.double(),
        fc.constant(null),
      );
      const text = fc.oneof(fc.string(), fc.string({ minLength: 10_001, maxLength: 10_010 }), fc.constant(''), fc.integer(), fc.constant(null), fc.array(fc.string()));
      const monthly = fc.oneof(
        fc.array(fc.record({ month: fc.oneof(fc.constantFrom('2026-07', '2026-08', '2026-13'), fc.string()), value: decimal }, { requiredKeys: [] }), { maxLength: 5 }),
        fc.anything(),
      );
      const body = fc.oneof(
        { weight: 6, arbitrary: fc.record(
          { value: decimal, commentary: text, offTargetReason: text, routeToGreen: text, dataQualityNotes: text, monthlyValues: monthly, extra: fc.anything() },
          { requiredKeys: [] },
        ) },
        { weight: 2, arbitrary: fc.anything().map((value) => JSON.stringify(value) ?? 'null') },
        { weight: 1, arbitrary: fc.string() },
        { weight: 1, arbitrary: fc.constantFrom('{"__proto__": {"value": "46.0"}, "commentary": "x"}', '{"constructor": {"prototype": {}}}', '[]', '[{}]', 'null', '"46.0"', '{"value":"46.0","value":"47.0","commentary":"dup"}') },
      );
      let successes = 0;
      await fc.assert(
        fc.asyncProperty(body, fc.option(fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded'), { nil: undefined }), async (payload, contentType) => {
          const before = (await api.engine.store.readStream(stream)).length;
          const response = await fetch(`${api.baseUrl}${target}`, {
            method: 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': contentType ?? 'application/json' },
            body: typeof payload === 'string' ? payload : JSON.stringify(payload),
          });
          const answer = await response.text();
          expect([response.status, answer]).toEqual([expect.any(Number), expect.any(String)]);
          if (response.status >= 500) throw new Error(`HTTP ${response.status} for ${JSON.stringify(payload)}: ${answer}`);
          if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
          const after = (await api.engine.store.readStream(stream)).length;
          if (response.status === 200) {
            successes += 1;
            expect(after).toBeGreaterThanOrEqual(before);
          } else {
            expect(after).toBe(before);
          }
        }),
        { numRuns: 300, seed: 20261001 },
      );
      // Whatever was sent, a figure was submitted at most once, and only by a 200.
      const submissions = (await api.engine.store.readStream(stream)).filter((e) => e.type === 'ReturnSubmitted');
      expect(submissions).toHaveLength(successes);
      expect(successes).toBeLessThanOrEqual(1);
    }, 120_000);

    it('survives random KPI amendments, target policies, ownership changes and cycle commands', async () => {
      const anyValue = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 3 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 3 }));
      const kpiField = fc.constantFrom('title', 'definition', 'directorate', 'unit', 'decimalPlaces', 'polarity', 'frequency', 'annualDueQuarter', 'measureType', 'labels', 'benchmarkSources', 'kpiId', 'owner', 'policies', 'retiredFrom', '__proto__', 'constructor');
      const policy = fc.oneof(
        fc.record({ kind: fc.constantFrom('thresholds', 'tolerance', 'met_not_met', 'direction', 'tracker', 'other'), green: anyValue, amber: anyValue, target: anyValue, tolerancePercent: anyValue, direction: anyValue }, { requiredKeys: ['kind'] }),
        anyValue,
      );
      const request = fc.oneof(
        fc.record({ path: fc.constant('/kpis/ENV-02/amendments'), method: fc.constant('POST'), body: fc.record({ changes: fc.dictionary(kpiField, anyValue, { maxKeys: 4 }), reason: anyValue, underQualityAssuranceUntil: anyValue }, { requiredKeys: [] }) }),
        fc.record({ path: fc.constantFrom('/kpis/ENV-02/targets/2026-27', '/kpis/ENV-02/targets/2027-28'), method: fc.constant('PUT'), body: fc.record({ policy }, { requiredKeys: [] }) }),
        fc.record({ path: fc.constant('/kpis/ENV-02/ownership'), method: fc.constant('PUT'), body: fc.record({ owner: anyValue, keyContacts: anyValue, reason: anyValue }, { requiredKeys: [] }) }),
        fc.record({ path: fc.constant('/cycles'), method: fc.constant('POST'), body: fc.record({ cycleId: fc.oneof(fc.constantFrom('2027/28-Q1', '2027/28-Q5', '1999/00-Q1'), fc.string()), timetable: fc.oneof(anyValue, fc.record({ returnsDue: fc.oneof(fc.constantFrom('2027-07-14', '2027-02-29', '0000-00-00'), fc.string()), dmtReviewDeadline: fc.constant('2027-07-21'), cltDate: fc.constant('2027-07-28'), publicationDate: fc.constant('2027-08-11') })) }, { requiredKeys: [] }) }),
        fc.record({ path: fc.constant('/cycles/2026-27-Q2/deadline-extensions'), method: fc.constant('POST'), body: fc.record({ deadline: fc.oneof(fc.constantFrom('returnsDue', 'dmtReviewDeadline'), anyValue), to: fc.oneof(fc.constantFrom('2026-10-20', '2026-10-21', '2026-02-29', '9999-12-31'), anyValue), reason: anyValue }, { requiredKeys: [] }) }),
        fc.record({ path: fc.constant('/people'), method: fc.constant('POST'), body: fc.record({ personId: anyValue, name: anyValue, email: fc.oneof(fc.emailAddress(), anyValue), roles: fc.oneof(fc.subarray(['dmt', 'auditor', 'member', 'wizard']), anyValue), directorate: anyValue }, { requiredKeys: [] }) }),
      );
      await fc.assert(
        fc.asyncProperty(request, async ({ path, method, body }) => {
          const response = await team(method, path, { body });
          if (response.status >= 500) throw new Error(`HTTP ${response.status} for ${method} ${path} ${JSON.stringify(body)}: ${JSON.stringify(response.body)}`);
          if (response.status >= 400) expect(response.headers.get('content-type')).toContain('application/problem+json');
        }),
        { numRuns: 200, seed: 20261002 },
      );
    }, 120_000);
  });
});

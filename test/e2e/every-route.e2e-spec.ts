import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, openCycle, PRINCIPALS, submitFigure } from '@quarterly/testing/e2e-fixtures';

const TIMETABLE = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

/** Path parameters that name things that exist, so the request reaches the handler. */
const EXISTING: Record<string, string> = {
  kpiId: 'ENV-01',
  periodId: '2026-27-Q2',
  cycleId: '2026-27-Q2',
  quarter: '2026-27-Q2',
  personId: 's.lead',
};

/** Path parameters a client might send by mistake or on purpose (already percent-encoded). */
const HOSTILE_PARAMETERS = [
  '%00',
  'ENV%00-01',
  '%ED%A0%80',
  '..%2F..%2Fetc%2Fpasswd',
  'x'.repeat(3000),
  '%F0%9F%92%A9',
  "ENV-01'%3B%20drop%20table%20events%3B--",
  '-1',
  '2026-27-Q9',
  '9999-00-Q0',
  '%E0%A4%A',
  '%20',
];

/** Bodies, sent as they are with `content-type: application/json`. */
const BODIES = [
  '{',
  'null',
  '[]',
  '"text"',
  '12',
  '{"value":{"$gt":""},"reason":["x"],"to":{}}',
  '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  JSON.stringify({ value: '1'.repeat(400), commentary: 'c'.repeat(200_000), reason: null }),
  JSON.stringify(Array.from({ length: 2000 }, (_, i) => ({ [`k${i}`]: i }))),
  `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`,
  '{"value":"1e309","monthlyValues":[{"month":"2026-13","value":"NaN"}],"deadline":"returnsDue","to":"2026-02-30"}',
  // NUL and a lone surrogate: PostgreSQL refuses both in text; they must be refused before it.
  '{"personId":"x\\u0000y","kpiId":"E\\u0000","name":"a\\u0000","email":"a@b.c","value":"1","commentary":"nul \\u0000 here","reason":"\\u0000"}',
  '{"personId":"x\\ud800","name":"\\ud800","commentary":"\\udfff lone","reason":"\\ud800"}',
];

const QUERIES = [
  '?asAt=not-a-date',
  '?asAt=2026-10-01T00:00:00Z&asAt=2026-10-02T00:00:00Z',
  '?asAt[]=1',
  '?after=-1',
  '?after=999999999999999999999999999',
  '?groupBy[$ne]=x',
  '?since=%00&overdue=maybe&states=nonsense&limit=-5',
  `?directorate=${'d'.repeat(5000)}`,
  '?directorate=Pl%00ace',
  '?owner=%00',
  '?directorate=%ED%A0%80',
];

const HEADERS: Array<Record<string, string>> = [
  { 'if-match': 'W/"x", *, "-1"' },
  { 'if-match': `"${'9'.repeat(400)}"` },
  { 'idempotency-key': 'k'.repeat(1000) },
  { 'idempotency-key': '' },
  { 'content-type': 'text/plain' },
];

interface Probe {
  readonly method: string;
  readonly path: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

/**
 * Every operation of the OpenAPI document, with hostile path parameters, bodies, query strings and
 * headers: whatever a client sends, the answer is a deliberate one — never a 5xx — and every
 * refusal is an RFC 9457 problem document.
 */
describe.each(['sqlite', 'postgres'] as const)('every route of the OpenAPI document under hostile requests (%s)', (store) => {
  let api: ApiTestApp;

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-10-01T09:00:00Z' });
    const team = api.as(PRINCIPALS.team);
    await defineKpi(team, 'ENV-01');
    await defineKpi(team, 'ENV-02');
    await openCycle(api, team, '2026/27-Q2', TIMETABLE);
    await submitFigure(api.as(PRINCIPALS.placeLead), 'ENV-02', '2026/27-Q2', '50.0');
  });

  afterAll(async () => {
    await api?.close();
  });

  it('answers each with a 2xx, 3xx or 4xx, and each 4xx as problem details', async () => {
    const document = (await (await fetch(`${api.baseUrl}/docs-json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((method) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
        .map((method) => ({ method: method.toUpperCase(), template: path })),
    );
    expect(operations.length).toBeGreaterThan(20);

    const fill = (template: string, hostile?: string) =>
      template.replace(/\{(\w+)\}/g, (_match, name: string) => hostile ?? EXISTING[name] ?? 'unknown-thing');
    const probes: Probe[] = [];
    for (const { method, template } of operations) {
      const path = fill(template);
      if (template.includes('{')) for (const hostile of HOSTILE_PARAMETERS) probes.push({ method, path: fill(template, hostile), body: '{}' });
      for (const body of BODIES) probes.push({ method, path, body });
      for (const query of QUERIES) probes.push({ method, path: `${path}${query}`, ...(method === 'GET' ? {} : { body: '{}' }) });
      for (const headers of HEADERS) probes.push({ method, path, headers, ...(method === 'GET' ? {} : { body: '{"value":"1"}' }) });
    }

    const principals = [PRINCIPALS.team, PRINCIPALS.placeLead];
    const tokens = await Promise.all(principals.map((p) => api.tokenFor(p)));
    const faults: string[] = [];
    for (const probe of probes) {
      for (const token of tokens) {
        const response = await fetch(`${api.baseUrl}${probe.path}`, {
          method: probe.method,
          headers: {
            authorization: `Bearer ${token}`,
            ...(probe.body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...probe.headers,
          },
          ...(probe.body !== undefined && probe.method !== 'GET' ? { body: probe.body } : {}),
        });
        const text = await response.text();
        const label = `${probe.method} ${probe.path.slice(0, 120)} body=${(probe.body ?? '').slice(0, 60)} headers=${JSON.stringify(probe.headers ?? {}).slice(0, 60)}`;
        if (response.status >= 500) faults.push(`${label} → ${response.status} ${text.slice(0, 200)}`);
        else if (response.status >= 400 && !(response.headers.get('content-type') ?? '').includes('application/problem+json')) {
          faults.push(`${label} → ${response.status} without problem details (${response.headers.get('content-type')})`);
        }
      }
    }
    expect(faults).toEqual([]);
    expect(probes.length).toBeGreaterThan(500);
  }, 120_000);
});

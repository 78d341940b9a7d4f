/**
 * Render time of the two pages people open most, for a council of 500 KPIs: "Your returns" (a
 * service lead with 10 KPIs) and "To review" (a DMT whose directorate has 100 KPIs, half of them
 * waiting for review), over real HTTP with a real session in Redis, on SQLite. Sequential
 * requests after a warm-up: the time one person waits, not throughput.
 */
import { WebSessionCookie } from '../../apps/api/src/web/shared/web-session-cookie';
import { WebSessionStore } from '../../apps/api/src/web/shared/web-session.store';
import { Session } from 'node:inspector';
import { startApiTestApp, type ApiClient, type TestPrincipal } from '../support/api-test-app';
import { summariseCpuProfile } from './summarise-cpu-profile';
import { expectStatus, settle } from '../support/e2e-fixtures';

const KPIS = 500;
const DIRECTORATES = ['Adults', 'Children', 'Place', 'Resources', 'Communities'];
const LEADS_PER_DIRECTORATE = 10;
const WARM_UP = 20;
const SAMPLES = 200;

export interface PageRenderFigures {
  readonly kpis: number;
  readonly samples: number;
  readonly yourReturns: { readonly rows: number; readonly p50Ms: number; readonly p99Ms: number };
  readonly toReview: { readonly rows: number; readonly p50Ms: number; readonly p99Ms: number };
}

export async function benchPageRender(): Promise<PageRenderFigures> {
  const api = await startApiTestApp({ now: '2026-10-20T10:00:00Z' });
  try {
    const team = api.as({ id: 'p.team', roles: ['performance-team'] });
    const leadOf = (d: number, l: number) => `lead.${d}.${l}`;
    const kpiIds: Array<{ kpiId: string; owner: string }> = [];
    await inParallel(KPIS, 16, async (i) => {
      const d = i % DIRECTORATES.length;
      const owner = leadOf(d, Math.floor(i / DIRECTORATES.length) % LEADS_PER_DIRECTORATE);
      const kpiId = `K-${String(i).padStart(3, '0')}`;
      kpiIds.push({ kpiId, owner });
      expectStatus(await team('POST', '/kpis', { body: kpiBody(kpiId, DIRECTORATES[d]!, owner) }), 201);
      expectStatus(await team('PUT', `/kpis/${kpiId}/targets/2026-27`, { body: { policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } } }), 200);
    });
    // People after the KPIs: a person's directorate must be one the register holds.
    for (const [d, directorate] of DIRECTORATES.entries()) {
      for (let l = 0; l < LEADS_PER_DIRECTORATE; l += 1) {
        expectStatus(await team('POST', '/people', { body: { personId: leadOf(d, l), name: `Lead ${d}.${l}`, email: `lead.${d}.${l}@council.example`, roles: ['service-lead'], directorate } }), 201);
      }
      expectStatus(await team('POST', '/people', { body: { personId: `dmt.${d}`, name: `Director ${d}`, email: `dmt.${d}@council.example`, roles: ['dmt'], directorate } }), 201);
    }
    expectStatus(await team('POST', '/cycles', { body: { cycleId: '2026/27-Q2', timetable: { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' } } }), 201);
    await settle(api);
    // Half of the figures are in, waiting for review.
    const leads = new Map<string, ApiClient>();
    await inParallel(KPIS / 2, 16, async (i) => {
      const { kpiId, owner } = kpiIds[i * 2]!;
      const client = leads.get(owner) ?? api.as({ id: owner, roles: ['service-lead'] });
      leads.set(owner, client);
      expectStatus(await client('POST', `/returns/${kpiId}/2026-27-Q2/submission`, { body: { value: '46.0', commentary: 'On target.' } }), 200);
    });
    await settle(api);

    const sessions = api.app.get(WebSessionStore);
    const cookie = api.app.get(WebSessionCookie);
    const cookieFor = async (personId: string) => `${cookie.name}=${sessions.cookieValueOf(await sessions.create(Date.now(), { personId }))}`;
    const measure = async (path: string, personId: string) => {
      const headers = { cookie: await cookieFor(personId) };
      const times: number[] = [];
      let rows = 0;
      for (let i = 0; i < WARM_UP + SAMPLES; i += 1) {
        const started = performance.now();
        const response = await fetch(`${api.baseUrl}${path}`, { headers });
        const html = await response.text();
        const elapsed = performance.now() - started;
        if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
        if (i >= WARM_UP) times.push(elapsed);
        rows = (html.match(/href="\/app\/returns\//g) ?? []).length;
      }
      times.sort((a, b) => a - b);
      const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
      return { rows, p50Ms: at(0.5), p99Ms: at(0.99) };
    };
    return { kpis: KPIS, samples: SAMPLES, yourReturns: await measure('/app/your-returns', leadOf(0, 0)), toReview: await measure('/app/to-review', 'dmt.0') };
  } finally {
    await api.close();
  }
}

async function inParallel(count: number, width: number, work: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < count) await work(next++);
  }));
}

function kpiBody(kpiId: string, directorate: string, owner: string): Record<string, unknown> {
  return {
    kpiId, title: `Indicator ${kpiId}`, definition: `The definition of ${kpiId}.`, directorate, serviceArea: 'Service', planOutcome: '1.1 Outcome',
    unit: 'percentage', decimalPlaces: 1, polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period', dataSource: 'System',
    limitations: '', benchmarkSources: [], labels: 'green_amber_red', owner, keyContacts: [],
  };
}

export interface ScorecardPageFigures {
  readonly kpis: number;
  readonly cycles: number;
  readonly samples: number;
  readonly setupSeconds: number;
  /** The scorecard page over HTTP with a session: query, view model, small multiples' descriptions, render. */
  readonly page: { readonly p50Ms: number; readonly p99Ms: number; readonly htmlBytes: number; readonly smallMultiples: number };
  /** One small multiple's image, drawn (first request for it) and from the renderer's cache. */
  readonly smallMultipleDrawn: { readonly p50Ms: number; readonly p99Ms: number };
  readonly smallMultipleCached: { readonly p50Ms: number; readonly p99Ms: number };
  /** Where the page's time went (self time), from a CPU profile of the measured requests. */
  readonly profile: { readonly topFunctions: ReadonlyArray<{ name: string; percent: number }>; readonly packages: ReadonlyArray<{ name: string; percent: number }> };
}

/**
 * The scorecard page of a council of 500 KPIs (five directorates) with two quarters of approved
 * figures, over real HTTP with a real session, on SQLite: the page (goal p99 ≤ 200 ms) and its
 * small multiples' images. The API runs in this process, so the measured requests are profiled
 * with the inspector and summarised.
 */
export async function benchScorecardPage(options: { kpis?: number } = {}): Promise<ScorecardPageFigures> {
  const kpis = options.kpis ?? KPIS;
  const started = performance.now();
  const api = await startApiTestApp({ now: '2026-06-01T09:00:00Z' });
  try {
    const team = api.as({ id: 'p.team', roles: ['performance-team'] });
    const lead = (d: number): TestPrincipal => ({ id: `lead.${d}`, roles: ['service-lead'], directorate: DIRECTORATES[d]! });
    const dmt = (d: number): TestPrincipal => ({ id: `dmt.${d}`, roles: ['dmt'], directorate: DIRECTORATES[d]! });
    const ids = Array.from({ length: kpis }, (_, i) => `K-${String(i).padStart(3, '0')}`);
    await inParallel(kpis, 16, async (i) => {
      const d = i % DIRECTORATES.length;
      expectStatus(await team('POST', '/kpis', { body: kpiBody(ids[i]!, DIRECTORATES[d]!, lead(d).id) }), 201);
      expectStatus(await team('PUT', `/kpis/${ids[i]}/targets/2026-27`, { body: { policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } } }), 200);
    });
    expectStatus(await team('POST', '/people', { body: { personId: 'a.audit', name: 'Auditor', email: 'a.audit@council.example', roles: ['auditor'] } }), 201);
    const quarters = [
      { cycleId: '2026/27-Q1', path: '2026-27-Q1', timetable: { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' }, at: '2026-07-10T10:00:00Z' },
      { cycleId: '2026/27-Q2', path: '2026-27-Q2', timetable: { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' }, at: '2026-10-10T10:00:00Z' },
    ];
    for (const [q, quarter] of quarters.entries()) {
      expectStatus(await team('POST', '/cycles', { body: { cycleId: quarter.cycleId, timetable: quarter.timetable } }), 201);
      await settle(api);
      api.clock.set(quarter.at);
      await inParallel(kpis, 16, async (i) => {
        const d = i % DIRECTORATES.length;
        const value = (35 + ((i + q * 3) % 15)).toFixed(1);
        const submitted = expectStatus(
          await api.as(lead(d))('POST', `/returns/${ids[i]}/${quarter.path}/submission`, {
            body: { value, commentary: `Commentary for ${ids[i]}: what the figure shows and why.`, offTargetReason: 'Vacancies in the team.', routeToGreen: 'Recruitment by December.' },
          }),
          200,
        );
        expectStatus(await api.as(dmt(d))('POST', `/returns/${ids[i]}/${quarter.path}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
      });
      await settle(api);
    }
    const setupSeconds = Math.round((performance.now() - started) / 1000);

    const sessions = api.app.get(WebSessionStore);
    const cookie = api.app.get(WebSessionCookie);
    const headers = { cookie: `${cookie.name}=${sessions.cookieValueOf(await sessions.create(Date.now(), { personId: 'a.audit' }))}` };
    const get = async (path: string) => {
      const started = performance.now();
      const response = await fetch(`${api.baseUrl}${path}`, { headers });
      const body = await response.text();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${body.slice(0, 200)}`);
      return { ms: performance.now() - started, body };
    };
    const page = '/app/scorecards/2026-27-Q2';
    for (let i = 0; i < WARM_UP; i += 1) await get(page);
    const session = new Session();
    session.connect();
    const post = <T>(method: string, params?: object) => new Promise<T>((resolve, reject) => session.post(method, params ?? {}, (error, result) => (error ? reject(error) : resolve(result as T))));
    await post('Profiler.enable');
    await post('Profiler.start');
    const pageTimes: number[] = [];
    let html = '';
    for (let i = 0; i < SAMPLES; i += 1) {
      const { ms, body } = await get(page);
      pageTimes.push(ms);
      html = body;
    }
    const { profile } = await post<{ profile: Parameters<typeof summariseCpuProfile>[0] }>('Profiler.stop');
    session.disconnect();
    const images = [...html.matchAll(/<img src="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
    const drawn: number[] = [];
    for (const src of images.slice(0, 50)) drawn.push((await get(src)).ms);
    const cached: number[] = [];
    for (let round = 0; round < 4; round += 1) for (const src of images.slice(0, 50)) cached.push((await get(src)).ms);
    const summary = summariseCpuProfile(profile, 12);
    return {
      kpis,
      cycles: quarters.length,
      samples: SAMPLES,
      setupSeconds,
      page: { ...percentiles(pageTimes), htmlBytes: Buffer.byteLength(html), smallMultiples: images.length },
      smallMultipleDrawn: percentiles(drawn),
      smallMultipleCached: percentiles(cached),
      profile: {
        topFunctions: summary.functions.map((f) => ({ name: f.name, percent: f.percent })),
        packages: summary.packages.slice(0, 8).map((p) => ({ name: p.name, percent: p.percent })),
      },
    };
  } finally {
    await api.close();
  }
}

function percentiles(samples: number[]): { p50Ms: number; p99Ms: number } {
  if (samples.length === 0) return { p50Ms: 0, p99Ms: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! * 10) / 10;
  return { p50Ms: at(0.5), p99Ms: at(0.99) };
}

/**
 * Render time of the two pages people open most, for a council of 500 KPIs: "Your returns" (a
 * service lead with 10 KPIs) and "To review" (a DMT whose directorate has 100 KPIs, half of them
 * waiting for review), over real HTTP with a real session in Redis, on SQLite. Sequential
 * requests after a warm-up: the time one person waits, not throughput.
 */
import { WebSessionCookie } from '../../apps/api/src/web/shared/web-session-cookie';
import { WebSessionStore } from '../../apps/api/src/web/shared/web-session.store';
import { startApiTestApp, type ApiClient } from '../support/api-test-app';
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
    for (const [d, directorate] of DIRECTORATES.entries()) {
      for (let l = 0; l < LEADS_PER_DIRECTORATE; l += 1) {
        expectStatus(await team('POST', '/people', { body: { personId: leadOf(d, l), name: `Lead ${d}.${l}`, email: `lead.${d}.${l}@council.example`, roles: ['service-lead'], directorate } }), 201);
      }
      expectStatus(await team('POST', '/people', { body: { personId: `dmt.${d}`, name: `Director ${d}`, email: `dmt.${d}@council.example`, roles: ['dmt'], directorate } }), 201);
    }
    const kpiIds: Array<{ kpiId: string; owner: string }> = [];
    await inParallel(KPIS, 16, async (i) => {
      const d = i % DIRECTORATES.length;
      const owner = leadOf(d, Math.floor(i / DIRECTORATES.length) % LEADS_PER_DIRECTORATE);
      const kpiId = `K-${String(i).padStart(3, '0')}`;
      kpiIds.push({ kpiId, owner });
      expectStatus(await team('POST', '/kpis', { body: kpiBody(kpiId, DIRECTORATES[d]!, owner) }), 201);
      expectStatus(await team('PUT', `/kpis/${kpiId}/targets/2026-27`, { body: { policy: { kind: 'thresholds', green: '45.0', amber: '40.0' } } }), 200);
    });
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

import { getScorecard } from '@quarterly/read-models';
import { startApiTestApp, type TestPrincipal } from '../support/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '../support/e2e-fixtures';
import { PageRenderer } from '../../apps/api/src/web/shared/page-renderer';
import { scorecardFilters, scorecardPageModel } from '../../apps/api/src/web/scorecard/scorecard-page.view-model';
import { statusOverviewSvg } from '../../apps/api/src/web/scorecard/status-overview-chart';

export interface Timings {
  readonly runs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface ScorecardExportFigures {
  readonly kpis: number;
  readonly directorates: number;
  readonly setupSeconds: number;
  /** The page's server-side work in process, nothing kept: the scorecard query, the view model, the overview chart and the nunjucks render (without the small multiples). */
  readonly pageRender: Timings & { readonly htmlBytes: number };
  /** The same scorecard as JSON over HTTP (query + serialisation + HTTP), one client. */
  readonly jsonOverHttp: Timings;
  readonly xlsxOverHttp: Timings & { readonly bytes: number };
  /** PDF printed by headless Chromium (the browser already started by a first, unmeasured print). */
  readonly pdfOverHttp: Timings & { readonly bytes: number };
}

const DIRECTORATES = ['Adults', 'Children', 'Place', 'Resources', 'Public Health'];
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };

/**
 * The scorecard of 500 KPIs (five directorates, every figure approved, a third of them off
 * target with reasons): its page p99, its JSON, its XLSX and PDF exports, on SQLite.
 */
export async function benchScorecardExports(options: { kpis?: number } = {}): Promise<ScorecardExportFigures> {
  const kpis = options.kpis ?? 500;
  const started = performance.now();
  const api = await startApiTestApp({ now: '2026-06-01T09:00:00Z', env: { COUNCIL_NAME: 'Benchmark Borough Council' } });
  try {
    const team = api.as(PRINCIPALS.team);
    const ids = Array.from({ length: kpis }, (_, i) => `B${String.fromCharCode(65 + (i % 5))}-${String(i).padStart(3, '0')}`);
    const directorateOf = (i: number) => DIRECTORATES[i % DIRECTORATES.length]!;
    const lead = (i: number): TestPrincipal => ({ id: `lead.${i % 5}`, roles: ['service-lead'], directorate: directorateOf(i) });
    const dmt = (i: number): TestPrincipal => ({ id: `dmt.${i % 5}`, roles: ['dmt'], directorate: directorateOf(i) });
    for (let i = 0; i < 5; i += 1) {
      await api.tokenFor(lead(i));
      await api.tokenFor(dmt(i));
    }
    await pool(ids.map((kpiId, i) => () => defineKpi(team, kpiId, { directorate: directorateOf(i), owner: lead(i).id, title: `Benchmark indicator ${i} with a realistic title length` })), 8);
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    await pool(
      ids.map((kpiId, i) => async () => {
        const value = (35 + (i % 15)).toFixed(1);
        const submitted = expectStatus(
          await api.as(lead(i))('POST', `/returns/${kpiId}/2026-27-Q2/submission`, {
            body: { value, commentary: `Commentary for ${kpiId}: what the figure shows and why, in a sentence or two.`, offTargetReason: 'Vacancies in the team.', routeToGreen: 'Recruitment by December.' },
          }),
          200,
        );
        expectStatus(await api.as(dmt(i))('POST', `/returns/${kpiId}/2026-27-Q2/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
      }),
      8,
    );
    await settle(api);
    const setupSeconds = (performance.now() - started) / 1000;

    const token = await api.tokenFor(PRINCIPALS.auditor);
    const fetchBytes = async (query: string) => {
      const response = await fetch(`${api.baseUrl}/scorecards/2026-27-Q2${query}`, { headers: { authorization: `Bearer ${token}` } });
      if (response.status !== 200) throw new Error(`scorecard${query} answered ${response.status}`);
      return (await response.arrayBuffer()).byteLength;
    };
    // The setup's keep-alive sockets may have been closed by the server meanwhile: one unmeasured call first.
    await fetchBytes('').catch(() => fetchBytes(''));
    const jsonOverHttp = await time(100, () => fetchBytes(''));
    let xlsxBytes = 0;
    const xlsxOverHttp = await time(10, async () => void (xlsxBytes = await fetchBytes('?format=xlsx')));
    await fetchBytes('?format=pdf');
    let pdfBytes = 0;
    const pdfOverHttp = await time(5, async () => void (pdfBytes = await fetchBytes('?format=pdf')));
    const renderer = new PageRenderer();
    let htmlBytes = 0;
    const pageRender = await time(200, async () => {
      const scorecard = await getScorecard(api.engine.readModels.db, '2026/27-Q2', { asAt: api.clock.now() });
      const model = scorecardPageModel({ scorecard, councilName: 'Benchmark Borough Council', filters: scorecardFilters(scorecard, {}), asAtIsNow: true, since: null });
      const overviewSvg = await statusOverviewSvg(scorecard.summary.byDirectorate);
      // Uncached: the page keeps these while the read models stand still (see scorecardPage in page-render.bench.ts).
      const indicatorsHtml = renderer.render('scorecard/scorecard-indicators.njk', { model, trends: {} });
      htmlBytes = renderer.render('scorecard/scorecard.njk', { pageTitle: 'Scorecard', section: 'scorecards', principal: { name: 'Bench', isDmt: false, isClt: false, isStaff: true }, csrfToken: 'x', model, overviewSvg, indicatorsHtml }).length;
    });

    return {
      kpis,
      directorates: DIRECTORATES.length,
      setupSeconds: Math.round(setupSeconds),
      pageRender: { ...pageRender, htmlBytes },
      jsonOverHttp,
      xlsxOverHttp: { ...xlsxOverHttp, bytes: xlsxBytes },
      pdfOverHttp: { ...pdfOverHttp, bytes: pdfBytes },
    };
  } finally {
    await api.close();
  }
}

async function time(runs: number, work: () => Promise<unknown>): Promise<Timings> {
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const start = performance.now();
    await work();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Math.round(samples[Math.min(samples.length - 1, Math.ceil(q * samples.length) - 1)]! * 10) / 10;
  return { runs, p50Ms: at(0.5), p99Ms: at(0.99), maxMs: at(1) };
}

async function pool(tasks: ReadonlyArray<() => Promise<unknown>>, concurrency: number): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) await tasks[next++]!();
    }),
  );
}


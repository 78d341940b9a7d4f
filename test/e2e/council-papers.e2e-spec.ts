/**
 * Acceptance on real council papers, end to end (issue 9, item 5): each council's transcribed
 * paper (test/fixtures/councils/<council>/) is loaded as a council adopting Quarterly would load
 * it — the register through the register import (KPIs, People and Targets sheets), the published
 * figures through the past-figures import — and the scorecard API must reproduce every status
 * and direction of travel the paper printed, on SQLite and on PostgreSQL.
 *
 * The same lists as the pure acceptance test say what cannot be determined and what the paper
 * printed against its own method (test/fixtures/councils/expected-verdicts.ts): for those the
 * scorecard must show nothing (no status, no direction) or the rule's result respectively.
 *
 * Also: the papers that need nothing new of the register (Brighton & Hove, the Leeds
 * rules table) also go through today's doors — cycles, submissions and approvals — at the end.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import type { Direction, Polarity } from '@quarterly/domain';
import { KPI_COLUMNS } from '@quarterly/register-import';
import { startApiTestApp, type ApiResponse, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { expectStatus, openCycle, pathOf, PRINCIPALS, settle, submitFigure } from '@quarterly/testing/e2e-fixtures';
import {
  COUNCILS,
  compareDirection,
  itemKey,
  loadCouncilFixture,
  printedItems,
  type CouncilFixture,
  type FixtureFigure,
  type FixtureKpi,
  type PrintedItem,
  type Verdict,
} from '@quarterly/testing/council-papers';
import { CANNOT_BE_DETERMINED, KNOWN_DISAGREEMENTS } from '../fixtures/councils/expected-verdicts';

/** The past-figures import's apply door (like `/register-imports`). */
const PAST_FIGURES_IMPORTS = '/past-figures-imports';
const CSV = 'text/csv';
/** The deployment's clock: after every paper was published. */
const NOW = '2026-05-01T09:00:00Z';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function csvRows(buffer: Buffer): string[][] {
  return parse(buffer, { bom: true, skip_empty_lines: true }) as string[][];
}

/**
 * The register workbook: the KPIs, People and Targets sheets, from the committed CSV files.
 * `keepColumn` leaves out KPI columns a door does not read yet.
 */
async function registerWorkbook(fixture: CouncilFixture, options: { withTargets: boolean; keepColumn?: (name: string) => boolean }): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheets: [string, Buffer][] = [
    ['KPIs', fixture.files.register],
    ['People', fixture.files.people],
    ...(options.withTargets ? [['Targets', fixture.files.targets] as [string, Buffer]] : []),
  ];
  for (const [name, file] of sheets) {
    const sheet = book.addWorksheet(name);
    const [header = [], ...rows] = csvRows(file);
    const kept = header.map((column, index) => (name !== 'KPIs' || (options.keepColumn ?? (() => true))(column) ? index : -1)).filter((index) => index >= 0);
    // Every cell is text, as typed: the import reads figures from text exactly.
    for (const row of [header, ...rows]) sheet.addRow(kept.map((index) => row[index] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** The quarter whose scorecard shows a figure of `period` (a half year at Q2/Q4, a year at its due quarter). */
function scorecardQuarterOf(period: string, kpi: FixtureKpi): string {
  const year = period.slice(0, 7);
  const part = period.length > 7 ? period.slice(8) : null;
  if (part === null) return `${year}-Q${kpi.cells.annualDueQuarter || '4'}`;
  if (part === 'H1') return `${year}-Q2`;
  if (part === 'H2') return `${year}-Q4`;
  return `${year}-${part}`;
}

/** How a direction reads without polarity, for papers that print "Higher / Lower / Same". */
function movementOf(direction: Direction, polarity: Polarity): Direction {
  if (direction === 'higher' || direction === 'lower' || direction === 'same') return direction;
  if (direction === 'no_change') return 'same';
  const wentUp = (direction === 'improving') === (polarity !== 'lower_is_better');
  return wentUp ? 'higher' : 'lower';
}

/**
 * A direction as the scorecard gives it: the word, or (the contract lets a basis travel with the
 * direction of travel vs last year) an object carrying it.
 */
function directionIn(field: unknown): Direction | null {
  if (field === null || field === undefined) return null;
  if (typeof field === 'string') return field as Direction;
  return ((field as { direction?: Direction | null }).direction ?? null) as Direction | null;
}

interface ScorecardEntry {
  readonly kpiId: string;
  readonly label: string | null;
  readonly noStatusReason: string | null;
  readonly directionVsPrevious: unknown;
  readonly directionVsLastYear: unknown;
}

function verdictFrom(item: PrintedItem, kpi: FixtureKpi, entry: ScorecardEntry): Verdict {
  if (item.aspect === 'status') {
    if (entry.label === null) return { outcome: 'cannot be determined', reason: `no status (${entry.noStatusReason})` };
    return { outcome: entry.label === item.printed ? 'agrees' : 'disagrees', engine: entry.label };
  }
  const direction = directionIn(item.aspect === 'vs previous' ? entry.directionVsPrevious : entry.directionVsLastYear);
  if (direction === null) return { outcome: 'cannot be determined', reason: 'no direction of travel' };
  return compareDirection(item.printed, direction, movementOf(direction, kpi.polarity));
}

/** POSTs a file to an import door as the performance team, the way `/register-imports` takes it. */
async function upload(api: ApiTestApp, path: string, fileName: string, body: Buffer, type: string): Promise<ApiResponse> {
  const response = await fetch(`${api.baseUrl}${path}?fileName=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}`, 'content-type': type },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
}

/**
 * Compares every printed item of a council with the scorecards' entries, and checks the lists of
 * what cannot be determined and what disagrees.
 */
function expectScorecardsToReproduce(fixture: CouncilFixture, scorecards: ReadonlyMap<string, readonly ScorecardEntry[]>): void {
  const kpis = new Map(fixture.kpis.map((kpi) => [kpi.kpiId, kpi]));
  const verdicts = printedItems(fixture).map((item) => {
    const kpi = kpis.get(item.kpiId)!;
    const entry = scorecards.get(scorecardQuarterOf(item.period, kpi))!.find((e) => e.kpiId === item.kpiId);
    if (entry === undefined) throw new Error(`${itemKey(item)}: the scorecard has no entry for ${item.kpiId}`);
    return { key: itemKey(item), item, verdict: verdictFrom(item, kpi, entry) };
  });
  const ofCouncil = (list: Record<string, string>) => Object.keys(list).filter((key) => verdicts.some((v) => v.key === key)).sort();
  const keysWith = (outcome: Verdict['outcome']) => verdicts.filter((v) => v.verdict.outcome === outcome).map((v) => v.key).sort();

  // What the printed figures cannot determine, the scorecard does not invent.
  expect(keysWith('cannot be determined')).toEqual(ofCouncil(CANNOT_BE_DETERMINED));
  // What the paper printed against its own method stays a disagreement.
  expect(keysWith('disagrees')).toEqual(ofCouncil(KNOWN_DISAGREEMENTS));
  expect(keysWith('agrees').length).toBeGreaterThan(0);
}

/** The quarters whose scorecards show a printed item, oldest first. */
function scorecardQuartersOf(fixture: CouncilFixture): string[] {
  const kpis = new Map(fixture.kpis.map((kpi) => [kpi.kpiId, kpi]));
  return [...new Set(printedItems(fixture).map((item) => scorecardQuarterOf(item.period, kpis.get(item.kpiId)!)))].sort();
}

describe.each(['sqlite', 'postgres'] as const)('council papers through the imports and the scorecard (%s)', (store) => {
  // One council per deployment: two councils' papers may cover the same quarters.
  describe.each(COUNCILS.map((council) => [council, loadCouncilFixture(council)] as const))('%s', (council, fixture) => {
    let api: ApiTestApp;
    const scorecards = new Map<string, ScorecardEntry[]>();

    afterAll(async () => {
      await api?.close();
    });

    beforeAll(async () => {
      // After every paper's publication date, so no figure is "published in the future".
      api = await startApiTestApp({ store, now: NOW });
      const workbook = await registerWorkbook(fixture, { withTargets: true });
      const register = expectStatus(await upload(api, '/register-imports', `${council}-register.xlsx`, workbook, XLSX), 200).body;
      expect(register.problems).toEqual([]);
      expect(register.summary).toMatchObject({ refused: 0 });
      const kpiRows = register.rows.filter((row: { sheet: string }) => row.sheet === 'KPIs');
      expect(kpiRows.map((row: { id: string; outcome: string }) => [row.id, row.outcome])).toEqual(fixture.kpis.map((kpi) => [kpi.kpiId, 'new']));
      const figures = expectStatus(await upload(api, PAST_FIGURES_IMPORTS, `${council}-figures.csv`, fixture.files.figures, CSV), 200).body;
      expect(figures.problems).toEqual([]);
      await settle(api);

      const team = api.as(PRINCIPALS.team);
      for (const quarter of scorecardQuartersOf(fixture)) {
        scorecards.set(quarter, expectStatus(await team('GET', `/scorecards/${pathOf(quarter)}`), 200).body.entries);
      }
    });

    it('reproduces every printed status and direction of travel the printed figures determine', () => {
      expectScorecardsToReproduce(fixture, scorecards);
    });
  });
});

/**
 * The papers whose register needs nothing new (a year's targets, quarterly or annual figures) —
 * Brighton & Hove's and the Leeds rules table — through the doors that exist today, running now:
 * the register through the register import (the columns today's template reads), the targets
 * through the targets API, and each printed period as a live cycle, oldest first: opened, the
 * figures submitted by the KPIs' owner and approved by the performance team. The approvals are
 * stamped with the test's clock, which is what the past-figures import puts right; the statuses
 * and directions must come out the same.
 */
describe.each(['sqlite', 'postgres'] as const)("council papers through today's cycle and return doors (%s)", (store) => {
  describe.each((['brighton-and-hove', 'leeds-rules'] as const).map((council) => [council, loadCouncilFixture(council)] as const))('%s', (council, fixture) => {
    let api: ApiTestApp;
    const scorecards = new Map<string, ScorecardEntry[]>();

    afterAll(async () => {
      await api?.close();
    });

    beforeAll(async () => {
      api = await startApiTestApp({ store, now: NOW });
      const team = api.as(PRINCIPALS.team);
      const todaysColumns = new Set(KPI_COLUMNS.map((column) => column.name));
      const workbook = await registerWorkbook(fixture, { withTargets: false, keepColumn: (name) => todaysColumns.has(name) });
      expect(expectStatus(await upload(api, '/register-imports', `${council}-register.xlsx`, workbook, XLSX), 200).body.problems).toEqual([]);
      for (const target of fixture.targets) {
        expect(target.period).toBeNull(); // a year's targets: all this door takes today
        expectStatus(await team('PUT', `/kpis/${target.kpiId}/targets/${pathOf(target.financialYear)}`, { body: { policy: target.policy } }), 200);
      }

      const owner = api.as({ id: fixture.kpis[0]!.cells.owner!, roles: ['service-lead'] });
      const kpis = new Map(fixture.kpis.map((kpi) => [kpi.kpiId, kpi]));
      const quarterOf = (figure: FixtureFigure) => scorecardQuarterOf(figure.period, kpis.get(figure.kpiId)!);
      for (const quarter of [...new Set(fixture.figures.map(quarterOf))].sort()) {
        await openCycle(api, team, quarter);
        for (const figure of fixture.figures.filter((f) => quarterOf(f) === quarter)) {
          const submitted = expectStatus(await submitFigure(owner, figure.kpiId, quarter, figure.value!), 200);
          const approval = `/returns/${figure.kpiId}/${pathOf(quarter)}/approval`;
          expectStatus(await team('POST', approval, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
        }
      }
      await settle(api);
      for (const quarter of scorecardQuartersOf(fixture)) {
        scorecards.set(quarter, expectStatus(await team('GET', `/scorecards/${pathOf(quarter)}`), 200).body.entries);
      }
    });

    it('reproduces every printed status and direction of travel the printed figures determine', () => {
      expectScorecardsToReproduce(fixture, scorecards);
    });
  });
});

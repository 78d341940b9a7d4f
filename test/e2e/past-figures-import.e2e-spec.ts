import ExcelJS from 'exceljs';
import { FIGURE_COLUMNS, type PastFiguresReport } from '@quarterly/past-figures-import';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle, THRESHOLDS_45_40 } from '@quarterly/testing/e2e-fixtures';
import { SmtpTestServer } from '@quarterly/testing/smtp-test-server';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const NOW = '2026-05-01T09:00:00.000Z';

type Row = Partial<Record<(typeof FIGURE_COLUMNS)[number]['name'], unknown>>;

/** A CSV file in the template's columns. */
function csv(rows: readonly Row[], columns = FIGURE_COLUMNS.map((c) => c.name)): Buffer {
  const quote = (value: unknown) => {
    const text = String(value ?? '');
    return /[",\n;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  return Buffer.from([columns.join(','), ...rows.map((row) => columns.map((name) => quote((row as Record<string, unknown>)[name])).join(','))].join('\r\n') + '\r\n');
}

async function workbook(rows: readonly Row[] | null): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Figures');
  const columns = FIGURE_COLUMNS.map((c) => c.name);
  if (rows !== null) {
    sheet.addRow(columns);
    for (const row of rows) sheet.addRow(columns.map((name) => (row as Record<string, unknown>)[name] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

const paper = (period: string, publishedOn: string) => ({ sourceDocument: `Cabinet ${publishedOn}, performance report ${period}`, publishedOn });

/**
 * Four quarters of 2024/25 as printed (green 45.0 / amber 40.0 that year), and 2025/26 Q1 (green
 * 50.0 / amber 45.0). Q3 is printed Green although 44.0 is amber by the thresholds: the report must
 * say so.
 */
const GOOD: Row[] = [
  { kpiId: 'ENV-01', period: '2024/25-Q1', value: '41.0', publishedStatus: 'Amber', ...paper('Q1', '2024-08-20') },
  { kpiId: 'ENV-01', period: '2024/25-Q2', value: '46.5', commentary: 'Garden waste season.', publishedStatus: 'Green', publishedDirectionPrevious: 'Improving', ...paper('Q2', '2024-11-14') },
  { kpiId: 'ENV-01', period: '2024/25-Q3', value: '44.0', publishedStatus: 'Green', publishedDirectionPrevious: 'Declining', ...paper('Q3', '2025-02-12') },
  { kpiId: 'ENV-01', period: '2024/25-Q4', value: '47.2', publishedStatus: 'Green', publishedDirectionPrevious: 'Improving', ...paper('Q4', '2025-06-18') },
  { kpiId: 'ENV-01', period: '2025/26-Q1', value: '48.0', publishedStatus: 'Amber', publishedDirectionPrevious: 'Improving', publishedDirectionLastYear: 'Improving', ...paper('Q1', '2025-08-19') },
  { kpiId: 'ENV-02', period: '2024/25-H1', notAvailableReason: 'Survey not run in 2024', ...paper('H1', '2024-11-14') },
];

describe.each(['sqlite', 'postgres'] as const)('past figures import over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;
  // Built before the server starts: a request after seconds of idle work can meet a keep-alive
  // connection the server has just closed.
  const large = csv(Array.from({ length: 60_000 }, (_, i) => ({ ...GOOD[0]!, commentary: `row ${i} ${'x'.repeat(80)}` })));

  const upload = async (path: string, fileName: string, body: Buffer, type = 'text/csv', principal: (typeof PRINCIPALS)[keyof typeof PRINCIPALS] = PRINCIPALS.team) => {
    const response = await fetch(`${api.baseUrl}${path}${path.includes('?') ? '&' : '?'}fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.tokenFor(principal)}`, 'content-type': type },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const dryRun = (fileName: string, body: Buffer, type?: string) => upload('/past-figures-imports/dry-run', fileName, body, type);
  const apply = (fileName: string, body: Buffer, type?: string) => upload('/past-figures-imports', fileName, body, type);
  /** Every event of the return and cycle streams: what an import writes. */
  const figureEvents = async () => {
    let count = 0;
    let after: bigint | undefined;
    for (;;) {
      const page = await api.engine.store.readAll({ ...(after === undefined ? {} : { after }), limit: 1000 });
      count += page.filter((e) => e.streamId.startsWith('return-') || e.streamId.startsWith('cycle-')).length;
      if (page.length > 0) after = page[page.length - 1]!.position;
      if (page.length < 1000) return count;
    }
  };

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: NOW });
    team = api.as(PRINCIPALS.team);
    await defineKpi(team, 'ENV-01', {}, { financialYear: '2024-25', policy: THRESHOLDS_45_40 });
    expectStatus(await team('PUT', '/kpis/ENV-01/targets/2025-26', { body: { policy: { kind: 'thresholds', green: '50.0', amber: '45.0' } } }), 200);
    await defineKpi(team, 'ENV-02', { frequency: 'six_monthly' }, null);
    await defineKpi(team, 'ENV-03', { frequency: 'annual', unit: 'count', decimalPlaces: 0 }, null);
  });

  afterAll(async () => {
    await api?.close();
  });

  it('offers the template, which checks as it is', async () => {
    const response = await fetch(`${api.baseUrl}/past-figures-imports/template.xlsx`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}` } });
    expect(response.status).toBe(200);
    const template = Buffer.from(await response.arrayBuffer());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Figures', 'Columns']);
    const report: PastFiguresReport = expectStatus(await dryRun('quarterly-past-figures-template.xlsx', template, XLSX), 200).body;
    expect(report.problems).toEqual([]);
    // ENV-01 had no targets in 2023/24: the engine gives no status where the paper printed one.
    expect(report.rows[0]).toMatchObject({ kpiId: 'ENV-01', period: '2023/24-Q2', outcome: 'new', differences: [
        { what: 'status', published: 'Action required', engine: null },
        { what: 'directionPrevious', published: 'Declining', engine: null },
      ] });
    const csvTemplate = await fetch(`${api.baseUrl}/past-figures-imports/template.csv`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` } });
    expect((await csvTemplate.text()).split('\r\n')[0]).toBe(FIGURE_COLUMNS.map((c) => c.name).join(','));
  });

  it('names every bad row by row and column, in plain English, and writes nothing on a dry run or an apply', async () => {
    const file = csv([
      GOOD[0]!,
      { ...GOOD[1]!, kpiId: 'NOPE-01' },
      { ...GOOD[1]!, period: 'Q2 2024' },
      { ...GOOD[1]!, period: '2024/25' },
      { ...GOOD[1]!, value: 'forty' },
      { ...GOOD[2]!, value: '150.0' },
      { ...GOOD[0]! },
      { ...GOOD[1]!, period: '2023/24-Q1', sourceDocument: '' },
      { ...GOOD[1]!, period: '2023/24-Q2', publishedOn: '' },
      { ...GOOD[1]!, period: '2023/24-Q3', publishedOn: '2026-06-01' },
      { ...GOOD[3]!, publishedStatus: 'Purple' },
      { ...GOOD[3]!, period: '2023/24-Q4', value: '' },
      { kpiId: 'ENV-03', period: '2024/25-Q3', value: '12', ...paper('x', '2025-02-01') },
    ]);
    const before = await figureEvents();
    const report: PastFiguresReport = expectStatus(await dryRun('figures.csv', file), 200).body;
    expect(report.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [3, 'kpiId', 'there is no KPI NOPE-01 in the register: import the register first'],
      [4, 'period', 'expected 2024/25-Q2, 2024/25-H1 or 2024/25, got Q2 2024'],
      [5, 'period', 'ENV-01 is quarterly and reports quarters (2023/24-Q2), not 2024/25'],
      [6, 'value', 'expected a decimal number like 83.5, got "forty"'],
      [7, 'value', '150.0 is outside the valid range 0 to 100'],
      [8, 'period', "ENV-01's 2024/25-Q1 figure is also on row 2"],
      [9, 'sourceDocument', 'is empty'],
      [10, 'publishedOn', 'is empty: write the date like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
      [11, 'publishedOn', '2026-06-01 is in the future'],
      [12, 'publishedStatus', expect.stringContaining('"Purple" is not a status councils print')],
      [13, 'value', 'is empty: give the figure, or say why none was published (notAvailableReason)'],
      [14, 'period', 'ENV-03 is annual and reports financial years (2023/24), not 2024/25-Q3'],
    ]);
    expect(report.summary).toEqual({ new: 1, unchanged: 0, refused: 12, differing: 0 });
    const refused = expectStatus(await apply('figures.csv', file), 400);
    expect(refused.body).toMatchObject({ code: 'import_refused', report: { applied: false, summary: { refused: 12 } } });
    expect(await figureEvents()).toBe(before);
  });

  it('names a formula cell, an empty sheet and a file too large, and writes nothing', async () => {
    const formula = expectStatus(await dryRun('figures.xlsx', await workbook([{ ...GOOD[0]!, value: { formula: '40+1', result: 41 } }]), XLSX), 200).body as PastFiguresReport;
    expect(formula.problems).toEqual([{ sheet: 'Figures', row: 2, column: 'value', problem: 'holds a formula (=40+1); type the value itself' }]);
    const empty = expectStatus(await dryRun('figures.xlsx', await workbook(null), XLSX), 200).body as PastFiguresReport;
    expect(empty.problems).toEqual([{ sheet: 'Figures', row: null, column: null, problem: 'the sheet is empty: row 1 must hold the column names' }]);
    expect(large.length).toBeGreaterThan(8 * 1024 * 1024);
    const tooLarge = expectStatus(await apply('figures.csv', large), 400).body;
    expect(tooLarge.report.problems).toEqual([{ sheet: 'Figures', row: null, column: null, problem: expect.stringMatching(/^the file is \d+\.\d MB; files up to 8 MB are read$/) }]);
    const refused = await apply('figures.xlsx', await workbook([{ ...GOOD[0]!, value: { formula: '40+1', result: 41 } }]), XLSX);
    expect(refused.status).toBe(400);
    expect(await figureEvents()).toBe(0);
  });

  it('imports published figures rated under their own year, never approved by a person, and says where the printed verdicts differ', async () => {
    const file = csv(GOOD);
    const report: PastFiguresReport = expectStatus(await apply('published-2024-2026.csv', file), 200).body;
    expect(report).toMatchObject({ applied: true, summary: { new: 6, unchanged: 0, refused: 0, differing: 1 } });
    // Three past quarters of ENV-01 and ENV-02's H1 (collected at Q2), 2024/25-Q1..Q4 and 2025/26-Q1: five cycles and six figures.
    expect(report.eventsAppended).toBe(11);
    const byPeriod = new Map(report.rows.map((r) => [`${r.kpiId} ${r.period}`, r]));
    expect(byPeriod.get('ENV-01 2024/25-Q3')).toMatchObject({ engine: { status: 'amber', directionPrevious: 'declining' }, differences: [{ what: 'status', published: 'Green', engine: 'Amber' }] });
    // 48.0 under 2025/26's targets (green 50.0) is amber, as printed; against 2024/25-Q1's 41.0 it improved.
    expect(byPeriod.get('ENV-01 2025/26-Q1')).toMatchObject({ engine: { status: 'amber', directionPrevious: 'improving', directionLastYear: 'improving' }, differences: [] });
    expect(byPeriod.get('ENV-01 2024/25-Q1')).toMatchObject({ differences: [] });
    await settle(api);

    const scorecard = expectStatus(await team('GET', '/scorecards/2024-25-Q2'), 200).body;
    const env01 = scorecard.entries.find((e: { kpiId: string }) => e.kpiId === 'ENV-01');
    expect(env01).toMatchObject({
      value: '46.5',
      status: 'green',
      approvedBy: null,
      commentary: 'Garden waste season.',
      previous: { value: '41.0' },
      directionVsPrevious: 'improving',
      imported: { fileName: 'published-2024-2026.csv', importedBy: 'p.team', publishedOn: '2024-11-14', publishedStatus: 'Green', importedLater: false },
    });
    const env02 = scorecard.entries.find((e: { kpiId: string }) => e.kpiId === 'ENV-02');
    expect(env02).toMatchObject({ value: null, noFigureReason: 'not_available', approvedBy: null });

    // As at an instant before the import: what the council had published by then, marked imported later.
    const asAt = '2025-03-01T12:00:00Z';
    const then = expectStatus(await team('GET', `/scorecards/2024-25-Q2?asAt=${asAt}`), 200).body;
    expect(then.entries.find((e: { kpiId: string }) => e.kpiId === 'ENV-01')).toMatchObject({ value: '46.5', imported: { importedLater: true, importedAt: NOW } });
    const history = expectStatus(await team('GET', `/kpis/ENV-01/history?asAt=${asAt}`), 200).body;
    const entries = Array.isArray(history) ? history : history.entries;
    // One import appends its figures together: their order in the history is the store's, not the file's.
    expect(entries.map((e: { periodCovered: string; kind: string }) => [e.periodCovered, e.kind]).sort()).toEqual([
      ['2024/25-Q1', 'imported'],
      ['2024/25-Q2', 'imported'],
      ['2024/25-Q3', 'imported'],
    ]);
    // Before Q4 was published: not on its scorecard yet.
    const beforeQ4 = expectStatus(await team('GET', `/scorecards/2024-25-Q4?asAt=2025-06-17T12:00:00Z`), 200).body;
    expect(beforeQ4.entries).toEqual([]);

    // A councillor reads the imported quarters as published.
    expect((await api.as(PRINCIPALS.member)('GET', '/scorecards/2024-25-Q2')).status).toBe(200);
  });

  it('imports the same file again without repeating anything', async () => {
    const before = await figureEvents();
    const again: PastFiguresReport = expectStatus(await apply('published-2024-2026.csv', csv(GOOD)), 200).body;
    expect(again).toMatchObject({ applied: true, eventsAppended: 0, summary: { new: 0, unchanged: 6, refused: 0 } });
    expect(await figureEvents()).toBe(before);
  });

  it('refuses a different figure for a period imported already (409 naming it) and corrects it by a restatement', async () => {
    const other = csv([{ ...GOOD[1]!, value: '45.5' }]);
    const conflict = expectStatus(await apply('corrected.csv', other), 409).body;
    expect(conflict).toMatchObject({ code: 'import_conflict', currentState: 'imported' });
    const lead = api.as(PRINCIPALS.placeLead);
    expectStatus(await lead('POST', '/returns/ENV-01/2024-25-Q2/restatement', { body: { value: '45.5', reason: 'The paper printed the draft figure.' } }), 200);
    const current = expectStatus(await team('GET', '/returns/ENV-01/2024-25-Q2'), 200);
    expectStatus(await api.as(PRINCIPALS.placeDmt)('POST', '/returns/ENV-01/2024-25-Q2/approval', { body: {}, headers: { 'if-match': current.headers.get('etag')! } }), 200);
    await settle(api);
    const scorecard = expectStatus(await team('GET', '/scorecards/2024-25-Q2'), 200).body;
    expect(scorecard.entries.find((e: { kpiId: string }) => e.kpiId === 'ENV-01')).toMatchObject({ value: '45.5', approvedBy: 'd.place', imported: null });
  });

  it('refuses a quarter whose cycle is live (409 naming its state), and a live cycle over an imported quarter', async () => {
    await openCycle(api, team, '2025/26-Q4');
    const live = expectStatus(await apply('late.csv', csv([{ kpiId: 'ENV-01', period: '2025/26-Q4', value: '49.0', ...paper('Q4', '2026-04-20') }])), 409).body;
    expect(live).toMatchObject({ code: 'import_conflict', currentState: 'open' });
    const reopen = await team('POST', '/cycles', { body: { cycleId: '2024/25-Q3' } });
    expect(reopen.status).toBe(409);
    expect(reopen.body.detail).toContain('imported');
  });

  it('is for the performance team only', async () => {
    const response = await upload('/past-figures-imports/dry-run', 'figures.csv', csv(GOOD), 'text/csv', PRINCIPALS.placeLead);
    expect(response.status).toBe(403);
  });
});

/** A file of 400 figures as a queued job on a real Redis: the same importer, its progress, the same report. */
describe('queued past-figures import', () => {
  let smtp: SmtpTestServer;
  let api: ApiTestApp;
  let team: ApiClient;

  beforeAll(async () => {
    smtp = await SmtpTestServer.start();
    api = await startApiTestApp({ now: NOW, reminders: { smtpUrl: smtp.url } });
    team = api.as(PRINCIPALS.team);
    for (let i = 1; i <= 100; i += 1) await defineKpi(team, `Q-${String(i).padStart(3, '0')}`, {}, null);
  });

  afterAll(async () => {
    await api?.close();
    await smtp?.stop();
  });

  it('runs a dry run and an apply that report progress and the same report', async () => {
    const rows: Row[] = [];
    for (let i = 1; i <= 100; i += 1) {
      for (const quarter of [1, 2, 3, 4]) rows.push({ kpiId: `Q-${String(i).padStart(3, '0')}`, period: `2024/25-Q${quarter}`, value: `${40 + quarter}.0`, ...paper(`Q${quarter}`, '2025-06-18') });
    }
    const file = csv(rows);
    const run = async (mode: 'dry-run' | 'apply') => {
      const response = await fetch(`${api.baseUrl}/past-figures-imports/jobs?fileName=history.csv&mode=${mode}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}`, 'content-type': 'text/csv' },
        body: file,
      });
      expect(response.status).toBe(202);
      const location = response.headers.get('location')!;
      expect(location).toMatch(/^\/past-figures-imports\/jobs\/[0-9a-f-]{36}$/);
      for (;;) {
        const status = expectStatus(await team('GET', location), 200).body;
        if (status.state === 'completed' || status.state === 'failed') return status;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const dry = await run('dry-run');
    expect(dry).toMatchObject({ state: 'completed', mode: 'dry-run', progress: { phase: 'done', done: 0, total: 404 }, report: { applied: false, summary: { new: 400 } } });
    const applied = await run('apply');
    expect(applied).toMatchObject({ state: 'completed', mode: 'apply', progress: { phase: 'done', done: 404, total: 404 }, report: { applied: true, eventsAppended: 404 } });
  });
});

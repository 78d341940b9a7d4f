import ExcelJS from 'exceljs';
import { KPI_COLUMNS, PEOPLE_COLUMNS, type ImportReport } from '@quarterly/register-import';
import { startApiTestApp, type ApiClient, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, PRINCIPALS } from '@quarterly/testing/e2e-fixtures';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A KPI row of the template, as cell text by column; overridden per test row. */
function kpiRow(kpiId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kpiId,
    title: `Indicator ${kpiId}`,
    definition: `The precise definition of ${kpiId}.`,
    directorate: 'Place',
    serviceArea: 'Waste Management',
    planOutcome: '1.2.1 Keep our city clean',
    owner: 'r.owner',
    keyContacts: 'k.contact',
    unit: 'percentage',
    decimalPlaces: 1,
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    measureType: 'in_period',
    dataSource: 'Service system',
    limitations: '',
    benchmarkSources: 'national average; statistical neighbours',
    labels: 'green_amber_red',
    financialYear: '2026/27',
    policy: 'thresholds',
    green: 45,
    amber: '40.0',
    ...overrides,
  };
}

const people = [
  { personId: 'r.owner', name: 'Rae Owner', email: 'rae.owner@council.example', roles: 'service-lead', directorate: 'Place' },
  { personId: 'k.contact', name: 'Kit Contact', email: 'kit.contact@council.example', roles: 'service-lead; dmt', directorate: 'Place', signInId: 'b1c2d3e4-0000-4000-8000-000000000001' },
];

async function workbook(
  kpis: readonly Record<string, unknown>[] | null,
  peopleRows: readonly Record<string, unknown>[] = people,
  columns = KPI_COLUMNS.map((c) => c.name),
): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('KPIs');
  if (kpis !== null) {
    sheet.addRow(columns);
    for (const row of kpis) sheet.addRow(columns.map((name) => row[name] ?? ''));
  }
  const peopleSheet = book.addWorksheet('People');
  peopleSheet.addRow(PEOPLE_COLUMNS.map((c) => c.name));
  for (const row of peopleRows) peopleSheet.addRow(PEOPLE_COLUMNS.map((c) => (row as Record<string, unknown>)[c.name] ?? ''));
  return Buffer.from(await book.xlsx.writeBuffer());
}

describe.each(['sqlite', 'postgres'] as const)('register import over HTTP (%s)', (store) => {
  let api: ApiTestApp;
  let team: ApiClient;

  const upload = async (path: string, fileName: string, body: Buffer, type = XLSX, principal: (typeof PRINCIPALS)[keyof typeof PRINCIPALS] = PRINCIPALS.team) => {
    const response = await fetch(`${api.baseUrl}${path}?fileName=${encodeURIComponent(fileName)}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${await api.tokenFor(principal)}`, 'content-type': type },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined };
  };
  const dryRun = (fileName: string, body: Buffer, type?: string) => upload('/register-imports/dry-run', fileName, body, type);
  const apply = (fileName: string, body: Buffer, type?: string) => upload('/register-imports', fileName, body, type);
  // Every event stored. On PostgreSQL a commit shows in the global order once the cluster's
  // horizon passes it (the importer appends through the store, not only the executor), so read
  // until the count holds still.
  const eventCount = async () => {
    const countAll = async () => {
      let count = 0;
      let after: bigint | undefined;
      for (;;) {
        const page = await api.engine.store.readAll({ ...(after === undefined ? {} : { after }), limit: 1000 });
        count += page.length;
        if (page.length > 0) after = page[page.length - 1]!.position;
        if (page.length < 1000) return count;
      }
    };
    const written = api.engine.executor.lastAppendedPosition;
    for (let attempt = 0; written !== undefined && attempt < 100; attempt += 1) {
      if ((await api.engine.store.readAll({ after: written - 1n, limit: 1 })).length > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    let last = await countAll();
    for (let steady = 0, attempt = 0; steady < 3 && attempt < 100; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const now = await countAll();
      steady = now === last ? steady + 1 : 0;
      last = now;
    }
    return last;
  };

  beforeAll(async () => {
    api = await startApiTestApp({ store, now: '2026-05-01T09:00:00Z' });
    team = api.as(PRINCIPALS.team);
    // Already in the register: PH-01 (so ph-01 clashes) in Adults and Health.
    await defineKpi(team, 'PH-01', { directorate: 'Adults and Health' });
  });

  afterAll(async () => {
    await api?.close();
  });

  it('offers the template, which imports as it is', async () => {
    const response = await fetch(`${api.baseUrl}/register-imports/template.xlsx`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain(XLSX);
    const template = Buffer.from(await response.arrayBuffer());
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(template as unknown as ArrayBuffer);
    expect(book.worksheets.map((s) => s.name)).toEqual(['KPIs', 'People', 'Targets', 'Columns']);
    const report: ImportReport = expectStatus(await dryRun('quarterly-register-template.xlsx', template), 200).body;
    expect(report.problems).toEqual([]);
    // The KPI, the person and the KPI's Q1 target on the Targets sheet.
    expect(report.summary).toEqual({ new: 3, changed: 0, unchanged: 0, refused: 0 });

    const csv = await fetch(`${api.baseUrl}/register-imports/template.csv`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.auditor)}` } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')[0]).toBe(KPI_COLUMNS.map((c) => c.name).join(','));
    const targets = await fetch(`${api.baseUrl}/register-imports/template-targets.csv`, { headers: { authorization: `Bearer ${await api.tokenFor(PRINCIPALS.team)}` } });
    expect(targets.status).toBe(200);
    expect((await targets.text()).split('\r\n')[0]).toBe('kpiId,financialYear,period,policy,green,amber,target,tolerancePercent,direction,ratedFigure,lastYearBasis');
  });

  it('names every bad row by row and column, in plain English, and writes nothing on a dry run or an apply', async () => {
    const file = await workbook(
      [
        kpiRow('ENV-01'),
        kpiRow('ENV-02', { policy: 'stretch' }),
        kpiRow('ENV-03', { decimalPlaces: 'one' }),
        kpiRow('ENV-01', { title: 'Again' }),
        kpiRow('env-01'),
        kpiRow('ph-01'),
        kpiRow('ENV-04', { directorate: 'place' }),
        kpiRow('ENV-05', { green: '120.0' }),
        kpiRow('ENV-06', { green: { formula: '40+5', result: 45 } }),
        kpiRow('ENV-07', { owner: 'n.body' }),
      ],
      [...people, { personId: 'd.nowhere', name: 'Dee Nowhere', email: 'dee@council.example', roles: 'dmt', directorate: 'Nowhere' }],
    );
    const before = await eventCount();
    const report: ImportReport = expectStatus(await dryRun('register.xlsx', file), 200).body;
    const problems = report.problems.map((p) => [p.sheet, p.row, p.column, p.problem]);
    expect(problems).toEqual([
      ['KPIs', 3, 'policy', '"stretch" is not one of the choices: write thresholds, tolerance, met_not_met, direction or tracker (or the words the app prints, like "Green and amber thresholds")'],
      ['KPIs', 4, 'decimalPlaces', 'must be a whole number from 0 to 6'],
      ['KPIs', 5, 'kpiId', 'ENV-01 is also on row 2'],
      ['KPIs', 6, 'kpiId', 'env-01 differs only in case from ENV-01 on row 2: KPI ids are unique regardless of case'],
      ['KPIs', 7, 'kpiId', 'KPI ph-01 would clash with PH-01: KPI ids are unique regardless of case'],
      ['KPIs', 8, 'directorate', 'is written "Place" in the register, not "place"'],
      ['KPIs', 9, 'green', '120.0 is outside the valid range 0 to 100'],
      ['KPIs', 10, 'green', 'holds a formula (=40+5); type the value itself'],
      ['KPIs', 11, 'owner', 'n.body is not an active person in the directory nor on the People sheet'],
      ['People', 4, 'directorate', 'Nowhere is not a directorate of the register (Adults and Health, Place)'],
    ]);
    expect(report.summary).toEqual({ new: 3, changed: 0, unchanged: 0, refused: 10 });
    expect(report.rows.find((r) => r.sheet === 'KPIs' && r.row === 2)).toEqual({ sheet: 'KPIs', row: 2, id: 'ENV-01', outcome: 'new', events: ['KpiDefined', 'KpiTargetPolicySet'] });
    expect(report.applied).toBe(false);

    const refused = await apply('register.xlsx', file);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'import_refused', report: { applied: false, summary: report.summary } });
    expect(await eventCount()).toBe(before);
  });

  it('names a missing column, an empty sheet, a file that is not a spreadsheet, and a 10 MB file', async () => {
    const withoutUnit = await workbook([kpiRow('ENV-08')], people, KPI_COLUMNS.map((c) => c.name).filter((n) => n !== 'unit'));
    const missing: ImportReport = (await dryRun('no-unit.xlsx', withoutUnit)).body;
    expect(missing.problems).toEqual([{ sheet: 'KPIs', row: 1, column: 'unit', problem: 'the column unit is missing' }]);
    expect(missing.summary.refused).toBe(1);

    const empty: ImportReport = (await dryRun('empty.xlsx', await workbook(null, []))).body;
    expect(empty.problems).toEqual([{ sheet: 'KPIs', row: null, column: null, problem: 'the sheet is empty: row 1 must hold the column names' }]);

    const csvHeader = KPI_COLUMNS.map((c) => c.name).join(',');
    const row = KPI_COLUMNS.map((c) => (c.name === 'kpiId' ? 'X' : c.example.includes(',') ? `"${c.example}"` : c.example)).join(',');
    const large = Buffer.from(`${csvHeader}\r\n${`${row}\r\n`.repeat(Math.ceil((10 * 1024 * 1024) / (row.length + 2)))}`);
    expect(large.length).toBeGreaterThanOrEqual(10 * 1024 * 1024);
    const tooLarge: ImportReport = expectStatus(await dryRun('huge.csv', large, 'text/csv'), 200).body;
    expect(tooLarge.problems).toEqual([{ sheet: 'KPIs', row: null, column: null, problem: 'the file is 10.0 MB; files up to 5 MB are read' }]);

    const notXlsx: ImportReport = (await dryRun('broken.xlsx', Buffer.from('PK this is not a zip'))).body;
    expect(notXlsx.problems[0]).toMatchObject({ row: null, column: null, problem: expect.stringMatching(/^the file is not a readable XLSX workbook/) });

    const badName = await upload('/register-imports/dry-run', '../etc/passwd', withoutUnit);
    expect(badName.status).toBe(400);
    expect(badName.body.errors.map((e: { field: string }) => e.field)).toEqual(['fileName']);
    expect((await upload('/register-imports', 'register.xlsx', withoutUnit, XLSX, PRINCIPALS.placeLead)).status).toBe(403);
  });

  it('applies a good file as the usual events by the importer, with the file and digest as reason; the same file again changes nothing', async () => {
    const file = await workbook([kpiRow('WST-01'), kpiRow('WST-02', { unit: 'count', decimalPlaces: 0, policy: 'met_not_met', green: '', amber: '', target: '1200' })]);
    const dry: ImportReport = expectStatus(await dryRun('register-2026-27.xlsx', file), 200).body;
    expect(dry.summary).toEqual({ new: 4, changed: 0, unchanged: 0, refused: 0 });
    const applied: ImportReport = expectStatus(await apply('register-2026-27.xlsx', file), 200).body;
    expect(applied).toMatchObject({ applied: true, summary: dry.summary, eventsAppended: 6 });

    const [defined, targets] = await api.engine.store.readStream('kpi-WST-01');
    const reason = `register import register-2026-27.xlsx (sha256 ${applied.sha256})`;
    expect(defined).toMatchObject({ type: 'KpiDefined', data: { kpiId: 'WST-01', keyContacts: ['k.contact'], benchmarkSources: ['national average', 'statistical neighbours'], reason }, metadata: { actor: PRINCIPALS.team.id } });
    expect(targets).toMatchObject({ type: 'KpiTargetPolicySet', data: { financialYear: '2026/27', policy: { kind: 'thresholds', green: '45', amber: '40.0' }, reason } });
    expect((await api.engine.store.readStream('person-k.contact'))[0]).toMatchObject({ type: 'PersonRegistered', data: { roles: ['service-lead', 'dmt'], signInId: 'b1c2d3e4-0000-4000-8000-000000000001', reason } });

    const before = await eventCount();
    const again: ImportReport = expectStatus(await apply('register-2026-27.xlsx', file), 200).body;
    expect(again).toMatchObject({ applied: true, eventsAppended: 0, summary: { new: 0, changed: 0, unchanged: 4, refused: 0 } });
    expect(await eventCount()).toBe(before);

    // One changed title and target: an amendment and a new target policy, nothing else.
    const changed = await workbook([kpiRow('WST-01', { title: 'Household waste recycled', green: '46.0' }), kpiRow('WST-02', { unit: 'count', decimalPlaces: 0, policy: 'met_not_met', green: '', amber: '', target: '1200' })]);
    const update: ImportReport = expectStatus(await apply('register-2026-27-v2.xlsx', changed), 200).body;
    expect(update.summary).toEqual({ new: 0, changed: 1, unchanged: 3, refused: 0 });
    expect(update.rows.find((r) => r.id === 'WST-01')?.events).toEqual(['KpiDefinitionAmended', 'KpiTargetPolicySet']);
    const stream = await api.engine.store.readStream('kpi-WST-01');
    expect(stream.slice(2).map((e) => [e.type, e.data])).toEqual([
      ['KpiDefinitionAmended', { changes: { title: 'Household waste recycled' }, reason: `register import register-2026-27-v2.xlsx (sha256 ${update.sha256})` }],
      ['KpiTargetPolicySet', { financialYear: '2026/27', policy: { kind: 'thresholds', green: '46.0', amber: '40.0' }, reason: `register import register-2026-27-v2.xlsx (sha256 ${update.sha256})` }],
    ]);
    // The register read model shows the imported KPIs like any others.
    const register = expectStatus(await team('GET', `/kpis?after=${api.engine.executor.lastAppendedPosition}`), 200).body;
    expect(register.map((k: { kpiId: string }) => k.kpiId)).toEqual(['PH-01', 'WST-01', 'WST-02']);
  });

  it('reads CSV the same way', async () => {
    const header = KPI_COLUMNS.map((c) => c.name);
    const values = kpiRow('CSV-01', { owner: 'r.owner', keyContacts: '' });
    const line = header.map((name) => `"${String(values[name] ?? '').replace(/"/g, '""')}"`).join(',');
    const bad = header.map((name) => `"${String((name === 'decimalPlaces' ? 'two' : values[name]) ?? '').replace(/"/g, '""')}"`).join(',').replace('CSV-01', 'CSV-02');
    const report: ImportReport = expectStatus(await dryRun('register.csv', Buffer.from(`\ufeff${header.join(',')}\r\n${line}\r\n${bad}\r\n`), 'text/csv'), 200).body;
    expect(report.problems).toEqual([{ sheet: 'KPIs', row: 3, column: 'decimalPlaces', problem: 'must be a whole number from 0 to 6' }]);
    expect(report.summary).toEqual({ new: 1, changed: 0, unchanged: 0, refused: 1 });
  });
});

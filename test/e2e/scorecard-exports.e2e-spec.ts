import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { startApiTestApp, type ApiClient, type ApiTestApp, type TestPrincipal } from '@quarterly/testing/api-test-app';
import { defineKpi, expectStatus, openCycle, PRINCIPALS, settle } from '@quarterly/testing/e2e-fixtures';

const Q1 = { returnsDue: '2026-07-14', dmtReviewDeadline: '2026-07-21', cltDate: '2026-07-28', publicationDate: '2026-08-11' };
const Q2 = { returnsDue: '2026-10-14', dmtReviewDeadline: '2026-10-21', cltDate: '2026-10-28', publicationDate: '2026-11-11' };
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** Before ENV-01's Q2 figure was restated (46.0 green → 43.0 amber on 2 November). */
const BEFORE_RESTATEMENT = '2026-10-20T00:00:00Z';
const HOSTILE_COMMENTARY = "=cmd|' /C calc'!A0";

/**
 * The scorecard's files from the JSON API, read back with the tools a council would use: the
 * CSV with a CSV parser, the XLSX with exceljs, the PDF's text with pdftotext (poppler-utils).
 */
describe('scorecard exports (CSV, XLSX, PDF) from the JSON API', () => {
  let api: ApiTestApp;
  let team: ApiClient;
  let scratch: string;

  async function download(path: string, principal: TestPrincipal = PRINCIPALS.auditor, headers: Record<string, string> = {}) {
    const token = await api.tokenFor(principal);
    const response = await fetch(`${api.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  }

  async function report(kpiId: string, cycle: string, value: string, by: { lead: ApiClient; dmt: ApiClient }, commentary = `${kpiId} commentary for ${cycle}.`) {
    const path = `/returns/${kpiId}/${cycle}`;
    const submitted = expectStatus(
      await by.lead('POST', `${path}/submission`, { body: { value, commentary, offTargetReason: 'Staff shortages, "acute".', routeToGreen: 'Recruitment, then training.' } }),
      200,
    );
    expectStatus(await by.dmt('POST', `${path}/approval`, { body: {}, headers: { 'if-match': submitted.headers.get('etag')! } }), 200);
  }

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'quarterly-exports-'));
    api = await startApiTestApp({ now: '2026-06-01T09:00:00Z', env: { COUNCIL_NAME: 'Borsetshire County Council' } });
    team = api.as(PRINCIPALS.team);
    const place = { lead: api.as(PRINCIPALS.placeLead), dmt: api.as(PRINCIPALS.placeDmt) };
    const people = { lead: api.as(PRINCIPALS.peopleLead), dmt: api.as(PRINCIPALS.peopleDmt) };
    await defineKpi(team, 'ENV-01', { title: 'Household waste recycled' });
    await defineKpi(team, 'ENV-02', { title: 'Missed bins, per 100,000 collections' });
    // A percentage that may fall below zero (its register entry says so): a plain negative figure
    // must reach the files as a number, not be neutralised like a formula.
    await defineKpi(team, 'CHS-01', { directorate: 'People', serviceArea: "Children's Services", owner: 'c.lead', title: 'Care leavers in education', validRange: { min: '-100', max: '100' } });
    await openCycle(api, team, '2026/27-Q1', Q1);
    api.clock.set('2026-07-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q1', '44.0', place);
    await report('ENV-02', '2026-27-Q1', '46.0', place);
    await report('CHS-01', '2026-27-Q1', '46.0', people);
    api.clock.set('2026-10-01T09:00:00Z');
    await openCycle(api, team, '2026/27-Q2', Q2);
    api.clock.set('2026-10-10T10:00:00Z');
    await report('ENV-01', '2026-27-Q2', '46.0', place);
    await report('ENV-02', '2026-27-Q2', '38.0', place, HOSTILE_COMMENTARY);
    await report('CHS-01', '2026-27-Q2', '-1.5', people, 'Cohort, "small": one leaver moved away.');
    api.clock.set('2026-11-01T10:00:00Z');
    const current = await place.lead('GET', '/returns/ENV-01/2026-27-Q2');
    const restated = expectStatus(
      await place.lead('POST', '/returns/ENV-01/2026-27-Q2/restatement', { body: { value: '43.0', reason: 'Contaminated loads removed.' }, headers: { 'if-match': current.headers.get('etag')! } }),
      200,
    );
    api.clock.set('2026-11-02T10:00:00Z');
    expectStatus(await place.dmt('POST', '/returns/ENV-01/2026-27-Q2/approval', { body: {}, headers: { 'if-match': restated.headers.get('etag')! } }), 200);
    await settle(api);
  }, 90_000);

  afterAll(async () => {
    await api?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('CSV: RFC 4180 with a BOM, the statuses in words, and a formula-like commentary neutralised', async () => {
    const file = await download('/scorecards/2026-27-Q2?format=csv');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toBe('attachment; filename="borsetshire-county-council-scorecard-2026-27-Q2-as-at-2026-11-02T1000Z.csv"');
    expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = file.body.toString('utf8');
    expect(text).toContain('\r\n');
    const rows: string[][] = parse(file.body, { bom: true });
    expect(rows[0]).toEqual([
      'KPI', 'Indicator', 'Directorate', 'Period', 'Figure', 'Unit', 'Target', 'Status', 'Compared with previous', 'Compared with last year', 'Last year basis',
      'Commentary', 'Why off target', 'Route to green', 'In-period figure', 'Year-to-date figure',
    ]);
    const byKpi = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    expect(Object.keys(byKpi)).toEqual(['CHS-01', 'ENV-01', 'ENV-02']);
    // Like for like: last year's Q2 had no figure, and the basis says so beside the direction.
    expect(byKpi['ENV-01']!.slice(4, 11)).toEqual(['43.0', '%', 'Green 45.0% or more, amber 40.0% or more', 'Amber', '↓ Declining', 'No comparison', 'vs 2025/26-Q2: no figure last year']);
    expect(byKpi['ENV-02']!.slice(4, 8)).toEqual(['38.0', '%', 'Green 45.0% or more, amber 40.0% or more', 'Red']);
    expect(byKpi['ENV-02']![11]).toBe(`'${HOSTILE_COMMENTARY}`);
    expect(byKpi['ENV-02']!.slice(12)).toEqual(['Staff shortages, "acute".', 'Recruitment, then training.', '', '']);
    // A negative figure stays a number; quotes and commas survive the round trip.
    expect(byKpi['CHS-01']![4]).toBe('-1.5');
    expect(byKpi['CHS-01']![11]).toBe('Cohort, "small": one leaver moved away.');
    expect(text).toContain('"Cohort, ""small"": one leaver moved away."');
  });

  it('answers the Accept header as it answers format=, and refuses an unknown format with 400 naming it', async () => {
    const byAccept = await download('/scorecards/2026-27-Q2', PRINCIPALS.auditor, { accept: 'text/csv' });
    expect(byAccept.status).toBe(200);
    expect(byAccept.body.equals((await download('/scorecards/2026-27-Q2?format=csv')).body)).toBe(true);
    const json = await download('/scorecards/2026-27-Q2', PRINCIPALS.auditor, { accept: 'application/json' });
    expect(JSON.parse(json.body.toString()).cycleId).toBe('2026/27-Q2');
    const refused = await download('/scorecards/2026-27-Q2?format=docx');
    expect(refused.status).toBe(400);
    expect(JSON.parse(refused.body.toString()).detail ?? JSON.parse(refused.body.toString()).title).toMatch(/format/);
  });

  it('XLSX: a summary sheet and a sheet per directorate, frozen header, status cells coloured and labelled', async () => {
    const file = await download('/scorecards/2026-27-Q2', PRINCIPALS.auditor, { accept: XLSX });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe(XLSX);
    expect(file.headers.get('content-disposition')).toMatch(/filename="borsetshire-county-council-scorecard-2026-27-Q2-as-at-2026-11-02T1000Z\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', 'People', 'Place']);
    const summary = workbook.getWorksheet('Summary')!;
    expect(summary.getCell('A1').value).toBe('Borsetshire County Council: performance scorecard 2026/27-Q2');
    expect(summary.getCell('A2').value).toBe('As at 2 November 2026 at 10:00');
    const placeCounts = findRow(summary, 'Place');
    expect(placeCounts.slice(1, 7)).toEqual([0, 1, 1, 0, 0, 0]);

    const place = workbook.getWorksheet('Place')!;
    expect(place.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(place.getRow(3).font?.bold).toBe(true);
    const env02 = findRow(place, 'ENV-02');
    expect(env02[4]).toBe(38);
    expect(env02[7]).toBe('Red');
    const statusCell = place.getRow(findRowNumber(place, 'ENV-02')).getCell(8);
    expect(statusCell.fill).toMatchObject({ type: 'pattern', fgColor: { argb: 'FFF4CDC6' } });
    expect(env02[11]).toBe(`'${HOSTILE_COMMENTARY}`);
    expect(findRow(place, 'ENV-01')[7]).toBe('Amber');
    expect(findRow(workbook.getWorksheet('People')!, 'CHS-01').slice(4, 8)).toEqual([-1.5, '%', 'Green 45.0% or more, amber 40.0% or more', 'Red']);
  });

  it('a scorecard exported "as at" an earlier instant holds that instant’s figures', async () => {
    const csv = parse(((await download(`/scorecards/2026-27-Q2?format=csv&asAt=${BEFORE_RESTATEMENT}`)).body), { bom: true }) as string[][];
    expect(csv.find((r) => r[0] === 'ENV-01')!.slice(4, 8)).toEqual(['46.0', '%', 'Green 45.0% or more, amber 40.0% or more', 'Green']);
    const file = await download(`/scorecards/2026-27-Q2?format=xlsx&asAt=${BEFORE_RESTATEMENT}`);
    expect(file.headers.get('content-disposition')).toContain('as-at-2026-10-20T0000Z.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.body as unknown as ArrayBuffer);
    expect(findRow(workbook.getWorksheet('Place')!, 'ENV-01').slice(4, 8)).toEqual([46, '%', 'Green 45.0% or more, amber 40.0% or more', 'Green']);
    const pdf = await download(`/scorecards/2026-27-Q2?format=pdf&asAt=${BEFORE_RESTATEMENT}`);
    const text = pdfText(pdf.body, 'earlier.pdf');
    expect(text).toMatch(/ENV-01 [^\n]*46\.0% [^\n]*amber\s+Green\s/);
    expect(text).toContain('as at 20 October 2026 at 01:00');
  });

  it('PDF: the council, the period, "as at", page numbers, and each KPI’s figure and status', async () => {
    const file = await download('/scorecards/2026-27-Q2?format=pdf');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.body.subarray(0, 5).toString()).toBe('%PDF-');
    expect(file.headers.get('content-disposition')).toMatch(/scorecard-2026-27-Q2-as-at-2026-11-02T1000Z\.pdf"$/);
    const text = pdfText(file.body, 'now.pdf');
    expect(text).toContain('Borsetshire County Council: performance scorecard 2026/27-Q2');
    expect(text).toContain('as at 2 November 2026 at 10:00');
    expect(text).toMatch(/Page 1 of \d+/);
    // The summary adds up every directorate, and counts how the figures moved against the targets.
    expect(text).toMatch(/All directorates\s+0\s+1\s+2\s/);
    expect(text).toContain('Targets met or missed, against the previous figure');
    expect(text).toContain('Targets met or missed, against the same period last year');
    expect(text).toMatch(/Missed target \(amber, red or not met\)\s+\d+\s+\d+\s+\d+\s+\d+/);
    // Each KPI's first printed line: its figure, then the target, then the status in words.
    for (const [kpi, figure, status] of [['ENV-01', '43.0%', 'Amber'], ['ENV-02', '38.0%', 'Red'], ['CHS-01', '-1.5%', 'Red']]) {
      expect(text).toMatch(new RegExp(`${kpi} [^\\n]*${figure.replace('.', '\\.')} [^\\n]*amber\\s+${status}\\s`));
    }
    // Tagged for screen readers: the PDF has a structure tree.
    expect(file.body.toString('latin1')).toContain('/StructTreeRoot');
  });

  it('the status board as XLSX and CSV from the API, filtered as asked', async () => {
    const xlsx = await download('/cycles/2026-27-Q2/status-board?directorate=Place', PRINCIPALS.team, { accept: XLSX });
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-disposition')).toBe('attachment; filename="borsetshire-county-council-status-board-2026-27-Q2-as-at-2026-11-02T1000Z.xlsx"');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('Status board')!;
    expect(sheet.getCell('A1').value).toBe('Borsetshire County Council: status board 2026/27-Q2');
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
    expect(findRow(sheet, 'ENV-02').slice(0, 9)).toEqual(['ENV-02', 'Missed bins, per 100,000 collections', 'Place', '2026/27-Q2', 'Approved', new Date('2026-10-14T00:00:00.000Z'), 'No', 38, 'Red']);
    // A number Excel can sum, shown with the KPI's decimal places and unit; the due date a date it can sort.
    expect(sheet.getRow(findRowNumber(sheet, 'ENV-02')).getCell(8).numFmt).toBe('#,##0.0"%"');
    expect(sheet.getRow(findRowNumber(sheet, 'ENV-02')).getCell(6).type).toBe(ExcelJS.ValueType.Date);
    expect(() => findRow(sheet, 'CHS-01')).toThrow();
    const csv = parse((await download('/cycles/2026-27-Q2/status-board?format=csv', PRINCIPALS.team)).body, { bom: true }) as string[][];
    expect(csv.map((r) => r[0])).toEqual(['KPI', 'CHS-01', 'ENV-01', 'ENV-02']);
    expect((await download('/cycles/2026-27-Q2/status-board?format=pdf', PRINCIPALS.team)).status).toBe(400);
  });

  it('members read a quarter’s files only once it is published', async () => {
    expect((await download('/scorecards/2026-27-Q2?format=csv', PRINCIPALS.member)).status).toBe(403);
    const cycle = await team('GET', '/cycles/2026-27-Q2');
    expectStatus(await team('POST', '/cycles/2026-27-Q2/closure', { headers: { 'if-match': cycle.headers.get('etag')! } }), 200);
    await settle(api);
    const file = await download('/scorecards/2026-27-Q2?format=csv', PRINCIPALS.member);
    expect(file.status).toBe(200);
    expect(file.body.toString('utf8')).toContain('ENV-02');
  });

  function pdfText(pdf: Buffer, name: string): string {
    const path = join(scratch, name);
    writeFileSync(path, pdf);
    return execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
  }
});

function findRowNumber(sheet: ExcelJS.Worksheet, first: string): number {
  for (let n = 1; n <= sheet.rowCount; n += 1) if (sheet.getRow(n).getCell(1).value === first) return n;
  throw new Error(`no row starting ${first} on ${sheet.name}`);
}

/** The row's values, 0-based from column A. */
function findRow(sheet: ExcelJS.Worksheet, first: string): unknown[] {
  return (sheet.getRow(findRowNumber(sheet, first)).values as unknown[]).slice(1);
}

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { KPI_COLUMNS, PEOPLE_COLUMNS, registerTemplateXlsx } from '@quarterly/register-import';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { addPerson, parseAddPersonArguments } from './add-person.command';
import { CannotImportError, formatImportReport, importRegister, parseImportRegisterArguments } from './import-register.command';

describe('import-register from the command line (real SQLite store)', () => {
  let api: ApiTestApp;
  let folder: string;
  const now = new Date('2026-05-01T09:00:00Z');
  const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite', now: now.toISOString() });
    folder = mkdtempSync(join(tmpdir(), 'quarterly-import-'));
    await addPerson(api.engine, parseAddPersonArguments(['p.lead', '--name', 'Pat Lead', '--email', 'pat@council.example']), now);
  });

  afterAll(async () => {
    await api?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('dry-runs, then applies the template as the events of the person named, with progress', async () => {
    const path = join(folder, 'register.xlsx');
    writeFileSync(path, await registerTemplateXlsx());
    const dry = await importRegister(api.engine, parseImportRegisterArguments([path, '--as', 'p.lead']), now, quiet());
    expect(formatImportReport(dry)).toBe(
      `register.xlsx (sha256 ${dry.sha256})\n3 new, 0 changed, 0 unchanged, 0 refused\ndry run: nothing was written\n`,
    );
    expect(await api.engine.store.readStream('kpi-ENV-01')).toEqual([]);

    const lines: string[] = [];
    const progress = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const applied = await importRegister(api.engine, parseImportRegisterArguments([path, '--as', 'p.lead', '--apply']), now, progress);
    // The person; the KPI, its year's policy and (Targets sheet) its Q1 profile.
    expect(applied).toMatchObject({ applied: true, eventsAppended: 4 });
    expect(lines.join('')).toBe('reading\nplanning\napplying 0/2\ndone 2/2\n');
    expect((await api.engine.store.readStream('kpi-ENV-01')).map((e) => [e.type, e.metadata.actor])).toEqual([
      ['KpiDefined', 'p.lead'],
      ['KpiTargetPolicySet', 'p.lead'],
      ['KpiTargetPolicySet', 'p.lead'],
    ]);
  });

  it('reports refused rows and writes nothing', async () => {
    const path = join(folder, 'bad.csv');
    const header = KPI_COLUMNS.map((c) => c.name).join(',');
    writeFileSync(path, `${header}\r\n${KPI_COLUMNS.map((c) => (c.name === 'kpiId' ? 'env-01' : c.name === 'owner' ? 'p.lead' : `"${c.example}"`)).join(',')}\r\n`);
    const report = await importRegister(api.engine, parseImportRegisterArguments([path, '--as', 'p.lead', '--apply']), now, quiet());
    expect(report.applied).toBe(false);
    expect(formatImportReport(report)).toContain('  KPIs row 2, kpiId: KPI env-01 would clash with ENV-01: KPI ids are unique regardless of case\nrefused: nothing was written');
    expect(await api.engine.store.readStream('kpi-env-01')).toEqual([]);
  });

  it('imports an XLSX register written in the words the pages print, storing the codes', async () => {
    const book = new ExcelJS.Workbook();
    const kpis = book.addWorksheet('KPIs');
    kpis.addRow(KPI_COLUMNS.map((c) => c.name));
    const cells: Record<string, ExcelJS.CellValue> = {
      kpiId: 'WORDS-01', title: 'Household waste recycled', definition: 'Tonnes recycled / tonnes collected.', directorate: 'Place', serviceArea: 'Waste',
      planOutcome: '1.2.1 Keep our city clean', owner: 'w.lead', unit: '%', decimalPlaces: 1, polarity: 'Higher is better', frequency: 'Quarterly',
      measureType: 'The period alone', dataSource: 'WasteDataFlow', labels: 'Green, Amber, Red', financialYear: '2026/27', policy: 'Green and amber thresholds',
      green: 0.45, amber: '40.0%', lastYearBasis: "Compared with last year's outturn (its final figure)",
    };
    const row = kpis.addRow(KPI_COLUMNS.map((c) => cells[c.name] ?? null));
    row.getCell(KPI_COLUMNS.findIndex((c) => c.name === 'green') + 1).numFmt = '0.0%'; // shows 45.0%
    const people = book.addWorksheet('People');
    people.addRow(PEOPLE_COLUMNS.map((c) => c.name));
    people.addRow(['w.lead', 'Wyn Lead', 'wyn@council.example', 'Service lead; Directorate management team (reviews figures)', 'Place']);
    const path = join(folder, 'register-words.xlsx');
    writeFileSync(path, Buffer.from(await book.xlsx.writeBuffer()));

    const applied = await importRegister(api.engine, parseImportRegisterArguments([path, '--as', 'p.lead', '--apply']), now, quiet());
    expect(applied.problems).toEqual([]);
    expect(applied).toMatchObject({ applied: true, summary: { new: 2, refused: 0 } });
    const [defined, targets] = await api.engine.store.readStream('kpi-WORDS-01');
    expect(defined!.data).toMatchObject({ unit: 'percentage', polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period', labels: 'green_amber_red' });
    expect(targets!.data).toMatchObject({ financialYear: '2026/27', policy: { kind: 'thresholds', green: '45', amber: '40.0' }, lastYearBasis: 'last_year_outturn' });
    expect((await api.engine.store.readStream('person-w.lead'))[0]!.data).toMatchObject({ roles: ['service-lead', 'dmt'] });
  });

  it('imports only as an active performance-team member', async () => {
    const path = join(folder, 'register.xlsx');
    await expect(importRegister(api.engine, parseImportRegisterArguments([path, '--as', 's.lead']), now, quiet())).rejects.toThrow(CannotImportError);
    expect(() => parseImportRegisterArguments([path])).toThrow(/--as/);
  });
});

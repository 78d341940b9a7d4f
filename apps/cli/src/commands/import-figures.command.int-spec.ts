import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { FIGURE_COLUMNS, FIGURES_SHEET } from '@quarterly/past-figures-import';
import { startApiTestApp, type ApiTestApp } from '@quarterly/testing/api-test-app';
import { defineKpi, PRINCIPALS, THRESHOLDS_45_40 } from '@quarterly/testing/e2e-fixtures';
import { addPerson, parseAddPersonArguments } from './add-person.command';
import { formatFiguresReport, importFigures, parseImportFiguresArguments } from './import-figures.command';
import { CannotImportError } from './import-register.command';

describe('import-figures from the command line (real SQLite store)', () => {
  let api: ApiTestApp;
  let folder: string;
  const now = new Date('2026-05-01T09:00:00Z');
  const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });
  const file = (rows: string[][]) => `${FIGURE_COLUMNS.map((c) => c.name).join(',')}\r\n${rows.map((r) => FIGURE_COLUMNS.map((_c, i) => r[i] ?? '').join(',')).join('\r\n')}\r\n`;
  const row = (period: string, value: string, status: string, publishedOn: string) => ['ENV-01', period, value, '', '', '', '', '', status, '', '', 'Cabinet report', publishedOn];

  beforeAll(async () => {
    api = await startApiTestApp({ store: 'sqlite', now: now.toISOString() });
    folder = mkdtempSync(join(tmpdir(), 'quarterly-figures-'));
    await addPerson(api.engine, parseAddPersonArguments(['p.lead', '--name', 'Pat Lead', '--email', 'pat@council.example']), now);
    await defineKpi(api.as(PRINCIPALS.team), 'ENV-01', {}, { financialYear: '2024-25', policy: THRESHOLDS_45_40 });
  });

  afterAll(async () => {
    await api?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('dry-runs, then applies, as imported by the person named, with progress and the printed verdicts the engine does not share', async () => {
    const path = join(folder, 'figures.csv');
    writeFileSync(path, file([row('2024/25-Q1', '41.0', 'Amber', '2024-08-20'), row('2024/25-Q2', '44.0', 'Green', '2024-11-14')]));
    const dry = await importFigures(api.engine, parseImportFiguresArguments([path, '--as', 'p.lead']), now, quiet());
    expect(formatFiguresReport(dry)).toBe(
      `figures.csv (sha256 ${dry.sha256})\n2 new, 0 unchanged, 0 refused; 1 differ from the printed verdicts\n` +
        'where the engine differs from the paper:\n  row 3, ENV-01 2024/25-Q2: printed status Green, engine Amber\ndry run: nothing was written\n',
    );
    expect(await api.engine.store.readStream('return-ENV-01-2024-25-Q1')).toEqual([]);

    const lines: string[] = [];
    const progress = new Writable({ write: (chunk, _encoding, done) => (lines.push(String(chunk)), done()) });
    const applied = await importFigures(api.engine, parseImportFiguresArguments([path, '--as', 'p.lead', '--apply']), now, progress);
    expect(applied).toMatchObject({ applied: true, eventsAppended: 4 });
    expect(lines.join('')).toBe('reading\nplanning\napplying 0/4\napplying 2/4\ndone 4/4\n');
    const events = await api.engine.store.readStream('return-ENV-01-2024-25-Q1');
    expect(events.map((e) => [e.type, e.metadata.actor, e.metadata.recordedAt])).toEqual([['ReturnFigureImported', 'p.lead', now.toISOString()]]);
    expect(events[0]!.data).toMatchObject({ source: { importedBy: 'p.lead', fileName: 'figures.csv', sha256: applied.sha256 }, published: { publishedOn: '2024-08-20' } });
  });

  /** A workbook as Excel writes it: the Figures sheet's header, then each row's cells by column name. */
  async function workbook(rows: Record<string, ExcelJS.CellValue | { value: ExcelJS.CellValue; numFmt: string }>[]): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet(FIGURES_SHEET);
    sheet.addRow(FIGURE_COLUMNS.map((c) => c.name));
    for (const cells of rows) {
      const row = sheet.addRow([]);
      for (const [name, cell] of Object.entries(cells)) {
        const target = row.getCell(FIGURE_COLUMNS.findIndex((c) => c.name === name) + 1);
        if (cell !== null && typeof cell === 'object' && 'numFmt' in cell) {
          target.value = cell.value;
          target.numFmt = cell.numFmt;
        } else {
          target.value = cell;
        }
      }
    }
    return Buffer.from(await book.xlsx.writeBuffer());
  }
  /** Excel's serial number of a calendar date (days since 30 December 1899). */
  const serial = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000 + 25_569;

  it('imports an XLSX file with date cells, dates written the British way and percentage cells, storing the dates the cells show', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'Europe/London'; // the council's own zone: a date cell in summer time must not move a day
    try {
      const path = join(folder, 'figures-dates.xlsx');
      writeFileSync(
        path,
        await workbook([
          // A date cell (a serial with a date format) and a percentage cell (0.412 shown as 41.2%).
          { kpiId: 'ENV-01', period: '2024/25-Q3', value: { value: 0.412, numFmt: '0.0%' }, sourceDocument: 'Cabinet 11 Feb 2025', publishedOn: { value: serial('2025-02-11'), numFmt: 'dd/mm/yyyy' } },
          // A date typed the British way: 3 June, never 6 March (which is before the quarter ends).
          { kpiId: 'ENV-01', period: '2024/25-Q4', value: '44.0', sourceDocument: 'Cabinet 3 Jun 2025', publishedOn: '3/6/2025' },
          // A date cell in British Summer Time, as exceljs writes a Date; and a date written out in words.
          { kpiId: 'ENV-01', period: '2025/26-Q1', value: '43.5', sourceDocument: 'Cabinet 14 Aug 2025', publishedOn: new Date(Date.UTC(2025, 7, 14)) },
          { kpiId: 'ENV-01', period: '2025/26-Q2', value: '43.0', sourceDocument: 'Cabinet 13 Nov 2025', publishedOn: '13 November 2025' },
        ]),
      );
      const dry = await importFigures(api.engine, parseImportFiguresArguments([path, '--as', 'p.lead']), now, quiet());
      expect(dry.problems).toEqual([]);
      const applied = await importFigures(api.engine, parseImportFiguresArguments([path, '--as', 'p.lead', '--apply']), now, quiet());
      expect(applied).toMatchObject({ applied: true, summary: { new: 4, refused: 0 } });
      const stored = async (stream: string) => (await api.engine.store.readStream(stream))[0]!.data as { value: string; published: { publishedOn: string } };
      expect(await stored('return-ENV-01-2024-25-Q3')).toMatchObject({ value: '41.2', published: { publishedOn: '2025-02-11' } });
      expect(await stored('return-ENV-01-2024-25-Q4')).toMatchObject({ value: '44.0', published: { publishedOn: '2025-06-03' } });
      expect(await stored('return-ENV-01-2025-26-Q1')).toMatchObject({ published: { publishedOn: '2025-08-14' } });
      expect(await stored('return-ENV-01-2025-26-Q2')).toMatchObject({ published: { publishedOn: '2025-11-13' } });
      expect((await api.engine.store.readStream('cycle-2024-25-Q4'))[0]!.data).toMatchObject({ publicationDate: '2025-06-03' });
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('names every problem of every row of an XLSX file at once, an impossible date among them, and writes nothing', async () => {
    const path = join(folder, 'figures-bad.xlsx');
    writeFileSync(
      path,
      await workbook([
        { kpiId: 'ENV-01', period: '2025/26-Q3', value: 'forty', publishedStatus: 'Bright green', sourceDocument: '', publishedOn: '31/02/2026' },
        { kpiId: 'ENV-01', period: '2025/26-Q4', value: '41.0', sourceDocument: 'Cabinet', publishedOn: '14/04/26' },
      ]),
    );
    const report = await importFigures(api.engine, parseImportFiguresArguments([path, '--as', 'p.lead', '--apply']), now, quiet());
    expect(report.applied).toBe(false);
    expect(report.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'value', 'expected a decimal number like 83.5, got "forty"'],
      [2, 'publishedStatus', expect.stringMatching(/^"Bright green" is not a status councils print/)],
      [2, 'sourceDocument', 'is empty'],
      [2, 'publishedOn', '"31/02/2026" is not a date: February 2026 has 28 days'],
      [3, 'publishedOn', '"14/04/26" does not give the year in full: write it like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
    ]);
    expect(formatFiguresReport(report)).toContain('  Figures row 2, publishedOn: "31/02/2026" is not a date: February 2026 has 28 days\n');
    expect(await api.engine.store.readStream('return-ENV-01-2025-26-Q3')).toEqual([]);
    expect(await api.engine.store.readStream('return-ENV-01-2025-26-Q4')).toEqual([]);
  });

  it('imports only as an active performance-team member', async () => {
    const path = join(folder, 'figures.csv');
    await expect(importFigures(api.engine, parseImportFiguresArguments([path, '--as', 's.lead']), now, quiet())).rejects.toThrow(CannotImportError);
    expect(() => parseImportFiguresArguments([path])).toThrow(/import-figures needs --as/);
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FIGURE_COLUMNS } from '@quarterly/past-figures-import';
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

  it('imports only as an active performance-team member', async () => {
    const path = join(folder, 'figures.csv');
    await expect(importFigures(api.engine, parseImportFiguresArguments([path, '--as', 's.lead']), now, quiet())).rejects.toThrow(CannotImportError);
    expect(() => parseImportFiguresArguments([path])).toThrow(/import-figures needs --as/);
  });
});

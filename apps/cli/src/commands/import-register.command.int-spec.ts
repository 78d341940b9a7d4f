import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { KPI_COLUMNS, registerTemplateXlsx } from '@quarterly/register-import';
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

  it('imports only as an active performance-team member', async () => {
    const path = join(folder, 'register.xlsx');
    await expect(importRegister(api.engine, parseImportRegisterArguments([path, '--as', 's.lead']), now, quiet())).rejects.toThrow(CannotImportError);
    expect(() => parseImportRegisterArguments([path])).toThrow(/--as/);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadAppConfig, QuarterlyEngine } from '@quarterly/platform';
import { KPI_COLUMNS, PEOPLE_COLUMNS, RegisterImporter, type ImportProgress } from '@quarterly/register-import';
import { PostgresTestDatabase } from '../support/postgres-test-database';

export interface RegisterImportFigures {
  readonly kpis: number;
  readonly people: number;
  readonly fileBytes: number;
  readonly sqlite: StoreFigures;
  readonly postgres: StoreFigures;
}

interface StoreFigures {
  /** Reading, checking and planning the whole file; nothing written. */
  readonly dryRunSeconds: number;
  /** The apply: plan again, then every event appended. */
  readonly applySeconds: number;
  readonly eventsAppended: number;
  /** From the start of the apply until every projection shows the imported register. */
  readonly endToEndSeconds: number;
  /** Importing the same file again (nothing to write). */
  readonly reimportSeconds: number;
}

const DIRECTORATES = ['Adults and Health', "Children's Services", 'Place', 'Resources', 'Communities'];

/**
 * A register of `kpis` KPIs (five directorates, all kinds of target policy) and one service lead
 * per 10 KPIs, as one XLSX workbook, imported into an empty SQLite store and an empty PostgreSQL
 * schema. Figures of past periods (history backfill) are measured by past-figures-import.bench.ts.
 */
export async function benchRegisterImport(options: { readonly kpis?: number } = {}): Promise<RegisterImportFigures> {
  const kpis = options.kpis ?? 1000;
  const people = Math.ceil(kpis / 10);
  const file = await registerWorkbook(kpis, people);
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-import-'));
  try {
    const sqlite = await measure(file, { QUARTERLY_STORE: 'sqlite', QUARTERLY_DATA_DIR: directory }, undefined);
    const database = await PostgresTestDatabase.create('bench_import');
    try {
      const postgres = await measure(file, { QUARTERLY_STORE: 'postgres', DATABASE_URL: database.connectionString }, database.schema);
      return { kpis, people, fileBytes: file.length, sqlite, postgres };
    } finally {
      await database.drop();
    }
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

async function measure(file: Buffer, env: Record<string, string>, schema: string | undefined): Promise<StoreFigures> {
  const engine = await QuarterlyEngine.open(loadAppConfig({ ...env, LOG_LEVEL: 'silent' }), schema ? { schema } : {});
  try {
    const importer = new RegisterImporter(engine);
    const context = { actor: 'p.lead', roles: ['performance-team'] as const, now: new Date().toISOString() };
    const request = { fileName: 'register.xlsx', content: file, context: { ...context, roles: [...context.roles] }, onProgress: report };
    const dryStarted = performance.now();
    const dry = await importer.dryRun(request);
    if (dry.problems.length > 0) throw new Error(`the generated register has problems: ${JSON.stringify(dry.problems.slice(0, 3))}`);
    const dryRunSeconds = seconds(dryStarted);
    const applyStarted = performance.now();
    const applied = await importer.apply(request);
    const applySeconds = seconds(applyStarted);
    await engine.start();
    await engine.waitForProjections(engine.executor.lastAppendedPosition!, 120_000);
    const endToEndSeconds = seconds(applyStarted);
    const againStarted = performance.now();
    const again = await importer.apply(request);
    if (again.eventsAppended !== 0) throw new Error('importing the same file again wrote events');
    return { dryRunSeconds, applySeconds, eventsAppended: applied.eventsAppended, endToEndSeconds, reimportSeconds: seconds(againStarted) };
  } finally {
    await engine.close();
  }
}

let lastReported = 0;
function report(progress: ImportProgress): void {
  if (progress.phase === 'applying' && performance.now() - lastReported < 2_000) return;
  lastReported = performance.now();
  process.stderr.write(`   register import: ${progress.phase}${progress.total ? ` ${progress.done}/${progress.total}` : ''}\n`);
}

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

export async function registerWorkbook(kpis: number, people: number): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const kpiSheet = book.addWorksheet('KPIs');
  kpiSheet.addRow(KPI_COLUMNS.map((c) => c.name));
  const policies: Record<string, string>[] = [
    { policy: 'thresholds', green: '45.0', amber: '40.0' },
    { policy: 'tolerance', target: '80.0', tolerancePercent: '10' },
    { policy: 'met_not_met', target: '95.0' },
    { policy: 'direction', direction: 'increase' },
  ];
  for (let i = 0; i < kpis; i += 1) {
    const row: Record<string, string> = {
      kpiId: `K-${String(i + 1).padStart(4, '0')}`,
      title: `Indicator ${i + 1}`,
      definition: `Numerator ${i + 1} over denominator ${i + 1}, as a percentage.`,
      directorate: DIRECTORATES[i % DIRECTORATES.length]!,
      serviceArea: `Service ${i % 40}`,
      planOutcome: `${1 + (i % 5)}.${1 + (i % 3)} Outcome`,
      owner: `lead.${i % people}`,
      keyContacts: `lead.${(i + 1) % people}`,
      unit: 'percentage',
      decimalPlaces: '1',
      polarity: 'higher_is_better',
      frequency: i % 7 === 0 ? 'monthly' : 'quarterly',
      measureType: 'in_period',
      dataSource: 'Service system',
      benchmarkSources: 'national average',
      labels: 'green_amber_red',
      financialYear: '2026/27',
      ...policies[i % policies.length]!,
    };
    kpiSheet.addRow(KPI_COLUMNS.map((c) => row[c.name] ?? ''));
  }
  const peopleSheet = book.addWorksheet('People');
  peopleSheet.addRow(PEOPLE_COLUMNS.map((c) => c.name));
  for (let i = 0; i < people; i += 1) {
    const row: Record<string, string> = {
      personId: `lead.${i}`,
      name: `Lead ${i}`,
      email: `lead.${i}@council.example`,
      roles: 'service-lead',
      directorate: DIRECTORATES[i % DIRECTORATES.length]!,
    };
    peopleSheet.addRow(PEOPLE_COLUMNS.map((c) => row[c.name] ?? ''));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIGURE_COLUMNS, PastFiguresImporter } from '@quarterly/past-figures-import';
import { loadAppConfig, QuarterlyEngine } from '@quarterly/platform';
import { RegisterImporter } from '@quarterly/register-import';
import type { ImportProgress } from '@quarterly/spreadsheet-import';
import { registerWorkbook } from './register-import.bench';

export interface PastFiguresImportFigures {
  readonly kpis: number;
  readonly years: number;
  readonly figures: number;
  readonly fileBytes: number;
  readonly sqlite: {
    /** Reading, checking, rating and planning every figure; nothing written. */
    readonly dryRunSeconds: number;
    /** The apply: plan again, then every past quarter and figure appended. */
    readonly applySeconds: number;
    readonly eventsAppended: number;
    /** From the start of the apply until every projection (scorecards, histories, status board) shows the figures. */
    readonly endToEndSeconds: number;
    /** Importing the same file again (nothing to write). */
    readonly reimportSeconds: number;
  };
}

/**
 * History backfill: a register of `kpis` KPIs (the register-import benchmark's), then `years`
 * years of quarterly figures for every KPI as one CSV file, imported into an empty SQLite store
 * through the same use case as the API and the command line. Goal (issue 9): 1,000 KPIs × 5 years
 * (20,000 figures) within 60 s end to end.
 */
export async function benchPastFiguresImport(options: { readonly kpis?: number; readonly years?: number } = {}): Promise<PastFiguresImportFigures> {
  const kpis = options.kpis ?? 1000;
  const years = options.years ?? 5;
  const register = await registerWorkbook(kpis, Math.ceil(kpis / 10));
  const file = figuresCsv(kpis, years);
  const directory = mkdtempSync(join(tmpdir(), 'quarterly-bench-figures-'));
  const engine = await QuarterlyEngine.open(loadAppConfig({ QUARTERLY_STORE: 'sqlite', QUARTERLY_DATA_DIR: directory, LOG_LEVEL: 'silent' }));
  try {
    const context = { actor: 'p.lead', roles: ['performance-team' as const], now: new Date().toISOString() };
    const registered = await new RegisterImporter(engine).apply({ fileName: 'register.xlsx', content: register, context });
    if (!registered.applied) throw new Error(`the generated register has problems: ${JSON.stringify(registered.problems.slice(0, 3))}`);
    await engine.start();
    await engine.waitForProjections(engine.executor.lastAppendedPosition!, 120_000);

    const importer = new PastFiguresImporter(engine);
    const request = { fileName: 'published-figures.csv', content: file, context, onProgress: report };
    const dryStarted = performance.now();
    const dry = await importer.dryRun(request);
    if (dry.problems.length > 0) throw new Error(`the generated figures have problems: ${JSON.stringify(dry.problems.slice(0, 3))}`);
    const dryRunSeconds = seconds(dryStarted);
    const applyStarted = performance.now();
    const applied = await importer.apply(request);
    const applySeconds = seconds(applyStarted);
    await engine.waitForProjections(engine.executor.lastAppendedPosition!, 300_000);
    const endToEndSeconds = seconds(applyStarted);
    const againStarted = performance.now();
    const again = await importer.apply(request);
    if (again.eventsAppended !== 0) throw new Error('importing the same file again wrote events');
    return {
      kpis,
      years,
      figures: kpis * years * 4,
      fileBytes: file.length,
      sqlite: { dryRunSeconds, applySeconds, eventsAppended: applied.eventsAppended, endToEndSeconds, reimportSeconds: seconds(againStarted) },
    };
  } finally {
    await engine.close();
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Every KPI's quarters of the `years` financial years before 2026/27, each published six weeks after its quarter. */
function figuresCsv(kpis: number, years: number): Buffer {
  const lines = [FIGURE_COLUMNS.map((c) => c.name).join(',')];
  const column = new Map(FIGURE_COLUMNS.map((c, index) => [c.name, index]));
  const published = ['08-14', '11-14', '02-14', '05-14'];
  for (let k = 1; k <= kpis; k += 1) {
    for (let start = 2026 - years; start < 2026; start += 1) {
      for (const quarter of [1, 2, 3, 4]) {
        const cells = new Array<string>(FIGURE_COLUMNS.length).fill('');
        const year = `${start}/${String((start + 1) % 100).padStart(2, '0')}`;
        cells[column.get('kpiId')!] = `K-${String(k).padStart(4, '0')}`;
        cells[column.get('period')!] = `${year}-Q${quarter}`;
        cells[column.get('value')!] = `${30 + ((k * 7 + start * 3 + quarter * 5) % 60)}.${(k + quarter) % 10}`;
        cells[column.get('commentary')!] = `As reported to Cabinet for ${year} Q${quarter}.`;
        cells[column.get('publishedStatus')!] = ['Green', 'Amber', 'Red'][(k + quarter) % 3]!;
        cells[column.get('sourceDocument')!] = `Cabinet performance report ${year} Q${quarter}`;
        cells[column.get('publishedOn')!] = `${quarter === 4 || quarter === 3 ? start + 1 : start}-${published[quarter - 1]}`;
        lines.push(cells.join(','));
      }
    }
  }
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

let lastReported = 0;
function report(progress: ImportProgress): void {
  if (progress.phase === 'applying' && performance.now() - lastReported < 2_000) return;
  lastReported = performance.now();
  process.stderr.write(`   past figures import: ${progress.phase}${progress.total ? ` ${progress.done}/${progress.total}` : ''}\n`);
}

const seconds = (since: number) => Math.round((performance.now() - since) / 10) / 100;

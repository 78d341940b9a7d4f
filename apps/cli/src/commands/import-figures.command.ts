import { PastFiguresImporter, type PastFiguresReport } from '@quarterly/past-figures-import';
import type { QuarterlyEngine } from '@quarterly/platform';
import { ImportInterruptedError } from '@quarterly/spreadsheet-import';
import { CannotImportError, importRequestFor, parseImportArguments, type ImportRegisterRequest } from './import-register.command';

export const IMPORT_FIGURES_USAGE = `  quarterly import-figures <file.xlsx|file.csv> --as <personId> [--apply]
                                             check a file of figures the council published
                                             before Quarterly (a dry run: row, column and problem
                                             for every refused row, the engine's rating beside the
                                             printed one), or with --apply import them as imported
                                             by <personId>, a performance-team member; nothing is
                                             written when any row is refused (exit 2)
`;

export function parseImportFiguresArguments(args: readonly string[]): ImportRegisterRequest {
  return parseImportArguments('import-figures', args);
}

/** Runs the past-figures import as a person of the directory: the same use case as `POST /past-figures-imports`. */
export async function importFigures(
  engine: QuarterlyEngine,
  request: ImportRegisterRequest,
  now: Date,
  progressOut: NodeJS.WritableStream = process.stderr,
): Promise<PastFiguresReport> {
  const importRequest = await importRequestFor(engine, request, now, progressOut, 1);
  const importer = new PastFiguresImporter(engine);
  try {
    return request.apply ? await importer.apply(importRequest) : await importer.dryRun(importRequest);
  } catch (error) {
    if (error instanceof ImportInterruptedError) throw new CannotImportError(error.message);
    throw error;
  }
}

/** The report as people read it: the summary, one line per problem, one per printed verdict the engine does not share. */
export function formatFiguresReport(report: PastFiguresReport): string {
  const { summary } = report;
  const differences = report.rows.flatMap((row) =>
    row.differences.map((d) => `  row ${row.row}, ${row.kpiId} ${row.period}: printed ${d.what === 'status' ? 'status' : d.what === 'directionPrevious' ? 'direction vs previous' : 'direction vs last year'} ${d.published}, engine ${d.engine ?? 'none'}`),
  );
  const lines = [
    `${report.fileName} (sha256 ${report.sha256})`,
    `${summary.new} new, ${summary.unchanged} unchanged, ${summary.refused} refused; ${summary.differing} differ from the printed verdicts`,
    ...report.problems.map((p) => `  ${p.sheet}${p.row === null ? '' : ` row ${p.row}`}${p.column === null ? '' : `, ${p.column}`}: ${p.problem}`),
    ...(differences.length > 0 ? ['where the engine differs from the paper:', ...differences] : []),
    report.mode === 'dry-run' ? 'dry run: nothing was written' : report.applied ? `applied: ${report.eventsAppended} events written` : 'refused: nothing was written',
  ];
  return `${lines.join('\n')}\n`;
}

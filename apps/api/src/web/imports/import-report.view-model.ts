import type { PastFiguresReport } from '@quarterly/past-figures-import';
import type { ImportReport } from '@quarterly/register-import';

/** The two spreadsheet imports the pages offer, on one upload → report → apply page. */
export type ImportKind = 'register' | 'past-figures';

export const IMPORT_KINDS: Readonly<Record<ImportKind, { readonly title: string; readonly what: string; readonly templateName: string }>> = {
  register: {
    title: 'Import the KPI register',
    what: 'One row per KPI with its targets for a financial year (sheet KPIs), and optionally the people who report and review them (sheet People).',
    templateName: 'quarterly-register-template',
  },
  'past-figures': {
    title: 'Import past figures',
    what:
      'The figures the council published before it used Quarterly: one row per KPI and period, with the status and directions of travel as printed, the paper and the date it was published (sheet Figures). They are recorded as imported, never as approved by anyone.',
    templateName: 'quarterly-past-figures-template',
  },
};

export function isImportKind(value: string): value is ImportKind {
  return value === 'register' || value === 'past-figures';
}

/** A report of either import as the report page shows it: summary, problems, and where the engine differs from the paper. */
export interface ImportReportView {
  readonly fileName: string;
  readonly sha256: string;
  readonly summary: ReadonlyArray<{ readonly key: string; readonly value: string }>;
  readonly problems: ReadonlyArray<{ readonly where: string; readonly column: string; readonly problem: string }>;
  readonly differences: ReadonlyArray<{ readonly row: string; readonly kpi: string; readonly period: string; readonly what: string; readonly printed: string; readonly engine: string }>;
  /** Rows the apply would write (new or changed). */
  readonly toWrite: number;
}

const DIFFERENCE_WORDS = { status: 'Status', directionPrevious: 'Direction of travel against the previous period', directionLastYear: 'Direction of travel against last year' } as const;

export function importReportView(kind: ImportKind, report: ImportReport | PastFiguresReport): ImportReportView {
  const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  const problems = report.problems.map((p) => ({
    where: `${p.sheet}${p.row === null ? '' : `, row ${p.row}`}`,
    column: p.column ?? '',
    problem: p.problem,
  }));
  if (kind === 'register') {
    const { summary } = report as ImportReport;
    return {
      fileName: report.fileName,
      sha256: report.sha256,
      summary: [
        { key: 'New', value: plural(summary.new, 'row') },
        { key: 'Changed', value: plural(summary.changed, 'row') },
        { key: 'Unchanged', value: plural(summary.unchanged, 'row') },
        { key: 'Refused', value: plural(summary.refused, 'row') },
      ],
      problems,
      differences: [],
      toWrite: summary.new + summary.changed,
    };
  }
  const figures = report as PastFiguresReport;
  return {
    fileName: report.fileName,
    sha256: report.sha256,
    summary: [
      { key: 'New figures', value: plural(figures.summary.new, 'row') },
      { key: 'Imported already', value: plural(figures.summary.unchanged, 'row') },
      { key: 'Refused', value: plural(figures.summary.refused, 'row') },
      { key: 'Printed verdicts the engine does not share', value: plural(figures.summary.differing, 'row') },
    ],
    problems,
    differences: figures.rows.flatMap((row) =>
      row.differences.map((d) => ({
        row: String(row.row),
        kpi: row.kpiId,
        period: row.period,
        what: DIFFERENCE_WORDS[d.what],
        printed: d.published,
        engine: d.engine === null ? 'None' : words(d.engine),
      })),
    ),
    toWrite: figures.summary.new,
  };
}

/** `no_change` → `No change`; a label such as `Amber` stays as it is. */
function words(text: string): string {
  const spaced = text.replace(/_/g, ' ');
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

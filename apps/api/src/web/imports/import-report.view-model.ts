import { MAX_PAST_FIGURES_FILE_BYTES, type PastFiguresReport } from '@quarterly/past-figures-import';
import { MAX_REGISTER_FILE_BYTES, type ImportReport } from '@quarterly/register-import';

/** The two spreadsheet imports the pages offer, on one upload → report → apply page. */
export type ImportKind = 'register' | 'past-figures';

export const IMPORT_KINDS: Readonly<
  Record<ImportKind, { readonly title: string; readonly what: string; readonly accepts: string; readonly maxMegabytes: number; readonly templateName: string }>
> = {
  register: {
    title: 'Import the KPI register',
    what: 'One row per KPI with its targets for a financial year (sheet KPIs), and optionally the people who report and review them (sheet People).',
    accepts:
      'Write units, which way is better, frequencies and the other choices as the template’s codes or in the words Quarterly’s pages print (%, Higher is better, Six-monthly, Performance team), and targets as the pages print figures (45.0%, £1,250).',
    maxMegabytes: MAX_REGISTER_FILE_BYTES / (1024 * 1024),
    templateName: 'quarterly-register-template',
  },
  'past-figures': {
    title: 'Import past figures',
    what:
      'The figures the council published before it used Quarterly: one row per KPI and period, with the status and directions of travel as printed, the paper and the date it was published (sheet Figures). They are recorded as imported, never as approved by anyone.',
    accepts:
      'Dates may be date cells or written as in England, day before month (14/08/2025, 14 Aug 2025); figures as the papers print them (27.3%, £1,250); periods as 2023/24-Q2 or 2023/24 Q2.',
    maxMegabytes: MAX_PAST_FIGURES_FILE_BYTES / (1024 * 1024),
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
  /** Every problem, in the report's order (sheet, row, column). */
  readonly problems: ReadonlyArray<{ readonly where: string; readonly column: string; readonly problem: string }>;
  /**
   * The problems by spreadsheet row (the file's own first), one entry a row with each of its
   * problems, at most {@link PROBLEM_ROWS_SHOWN} rows: a council's file with a problem in every
   * row would otherwise make a page of tens of thousands of lines.
   */
  readonly problemRows: ReadonlyArray<{ readonly where: string; readonly problems: ReadonlyArray<{ readonly column: string; readonly problem: string }> }>;
  /** How many rows of the sheets (and the file itself) have problems. */
  readonly rowsWithProblems: number;
  /** Rows with problems beyond those shown, and their problems. */
  readonly hidden: { readonly rows: number; readonly problems: number };
  /** The error summary's title: `Nothing was imported: 54 problems in 24 rows to correct`. */
  readonly problemsTitle: string;
  /** What is not listed, in words; null when every row with problems is. */
  readonly hiddenText: string | null;
  readonly differences: ReadonlyArray<{ readonly row: string; readonly kpi: string; readonly period: string; readonly what: string; readonly printed: string; readonly engine: string }>;
  /** Rows the apply would write (new or changed). */
  readonly toWrite: number;
}

const DIFFERENCE_WORDS = { status: 'Status', directionPrevious: 'Direction of travel against the previous period', directionLastYear: 'Direction of travel against last year' } as const;

/** The most rows of problems the report page lists; it says how many more there are. */
export const PROBLEM_ROWS_SHOWN = 500;

export function importReportView(kind: ImportKind, report: ImportReport | PastFiguresReport): ImportReportView {
  const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;
  const problems = report.problems.map((p) => ({
    where: `${p.sheet}${p.row === null ? '' : `, row ${p.row}`}`,
    column: p.column ?? '',
    problem: p.problem,
  }));
  const byRow = new Map<string, { where: string; problems: { column: string; problem: string }[] }>();
  for (const { where, column, problem } of problems) {
    const group = byRow.get(where) ?? { where, problems: [] };
    group.problems.push({ column, problem });
    byRow.set(where, group);
  }
  const groups = [...byRow.values()];
  const shown = groups.slice(0, PROBLEM_ROWS_SHOWN);
  const hidden = { rows: groups.length - shown.length, problems: problems.length - shown.reduce((n, g) => n + g.problems.length, 0) };
  const grouped = {
    problems,
    problemRows: shown,
    rowsWithProblems: groups.length,
    hidden,
    problemsTitle: `Nothing was imported: ${plural(problems.length, 'problem')}${groups.length > 1 ? ` in ${plural(groups.length, 'row')}` : ''} to correct`,
    hiddenText:
      hidden.rows === 0
        ? null
        : `The first ${plural(shown.length, 'row')} with problems are listed here; ${plural(hidden.rows, 'more row has', 'more rows have')} ${plural(hidden.problems, 'more problem')}.`,
  };
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
      ...grouped,
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
    ...grouped,
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

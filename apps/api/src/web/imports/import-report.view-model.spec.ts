import type { PastFiguresReport } from '@quarterly/past-figures-import';
import { importReportView, PROBLEM_ROWS_SHOWN } from './import-report.view-model';

const report = (problems: PastFiguresReport['problems']): PastFiguresReport =>
  ({
    fileName: 'figures.csv',
    sha256: 'ab'.repeat(32),
    mode: 'dry-run',
    applied: false,
    rows: [],
    problems,
    summary: { new: 0, unchanged: 0, refused: 0, differing: 0 },
  }) as unknown as PastFiguresReport;

describe('the import report page: problems', () => {
  it('lists every problem of a row together, the file’s own first, and counts problems and rows', () => {
    const view = importReportView(
      'past-figures',
      report([
        { sheet: 'Figures', row: null, column: null, problem: 'the file is too large' },
        { sheet: 'Figures', row: 2, column: 'value', problem: 'expected a decimal number like 83.5, got "forty"' },
        { sheet: 'Figures', row: 2, column: 'publishedOn', problem: '"31/02/2025" is not a date: February 2025 has 28 days' },
        { sheet: 'Figures', row: 3, column: 'kpiId', problem: 'the register writes it ENV-01' },
      ]),
    );
    expect(view.problemRows).toEqual([
      { where: 'Figures', problems: [{ column: '', problem: 'the file is too large' }] },
      {
        where: 'Figures, row 2',
        problems: [
          { column: 'value', problem: 'expected a decimal number like 83.5, got "forty"' },
          { column: 'publishedOn', problem: '"31/02/2025" is not a date: February 2025 has 28 days' },
        ],
      },
      { where: 'Figures, row 3', problems: [{ column: 'kpiId', problem: 'the register writes it ENV-01' }] },
    ]);
    expect(view.problemsTitle).toBe('Nothing was imported: 4 problems in 3 rows to correct');
    expect(view.hiddenText).toBeNull();
    expect(importReportView('past-figures', report([{ sheet: 'Figures', row: 2, column: 'value', problem: 'x' }])).problemsTitle).toBe('Nothing was imported: 1 problem to correct');
  });

  it(`lists the first ${PROBLEM_ROWS_SHOWN} rows with problems and says how many more there are`, () => {
    const problems = Array.from({ length: 2_000 }, (_, i) => [
      { sheet: 'Figures', row: i + 2, column: 'value', problem: 'expected a decimal number like 83.5, got "forty"' },
      { sheet: 'Figures', row: i + 2, column: 'publishedOn', problem: 'is empty' },
    ]).flat();
    const view = importReportView('past-figures', report(problems));
    expect(view.problemRows).toHaveLength(PROBLEM_ROWS_SHOWN);
    expect(view.problemRows.at(-1)!.where).toBe(`Figures, row ${PROBLEM_ROWS_SHOWN + 1}`);
    expect(view.hidden).toEqual({ rows: 2_000 - PROBLEM_ROWS_SHOWN, problems: 2 * (2_000 - PROBLEM_ROWS_SHOWN) });
    expect(view.problemsTitle).toBe('Nothing was imported: 4,000 problems in 2,000 rows to correct');
    expect(view.hiddenText).toBe('The first 500 rows with problems are listed here; 1,500 more rows have 3,000 more problems.');
    expect(view.problems).toHaveLength(4_000);
  });
});

import { summariseScorecard } from '@quarterly/domain';
import type { Scorecard, ScorecardEntry } from '@quarterly/read-models';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { scorecardCsv } from './scorecard-csv.export';
import { SCORECARD_HEADERS } from './scorecard-export-rows';
import { scorecardXlsx } from './scorecard-xlsx.export';

function entry(kpiId: string, directorate: string, value: string | null, status: ScorecardEntry['status'], commentary: string): ScorecardEntry {
  return {
    kpiId, returnId: `${kpiId}:2026/27-Q2`, title: `Indicator ${kpiId}`, directorate, planOutcome: null, unit: 'percentage', decimalPlaces: 1,
    polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'in_period', periodCovered: '2026/27-Q2', value, noFigureReason: value === null ? 'overdue' : null,
    status, label: null, noStatusReason: null, rating: null, target: { kind: 'thresholds', green: '45.0', amber: '40.0' }, approvedBy: null, approvedAt: null,
    changePending: false, commentary, offTargetReason: status === 'red' ? 'Vacancies.' : null, routeToGreen: status === 'red' ? '=HYPERLINK("x")' : null,
    recentPeriods: [], previous: null, lastYear: null, directionVsPrevious: null, directionVsLastYear: null,
    unitLabel: null, ratedFigure: 'in_period', inPeriodValue: null, yearToDateValue: null, imported: null, vsLastYear: null,
  };
}

const entries = [entry('ENV-01', 'Place', '46.0', 'green', 'On target.'), entry('ENV-02', 'Place', '-1.5', 'red', '@risk, "quoted"'), entry('CHS-01', 'People', null, null, '')];
const scorecard = { cycleId: '2026/27-Q2', asAt: '2026-11-02T10:00:00.000Z', entries, groupBy: 'directorate', groups: [], summary: summariseScorecard(entries as never) } as unknown as Scorecard;

describe('the scorecard files share one row model', () => {
  it('the CSV and each directorate sheet of the workbook hold the same cells, in the same columns', async () => {
    const csv = parse(scorecardCsv(scorecard).toString('utf8'), { bom: true }) as string[][];
    expect(csv[0]).toEqual(SCORECARD_HEADERS);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await scorecardXlsx(scorecard, { councilName: 'Borsetshire', cycleId: '2026/27-Q2', asAtInWords: '2 November 2026 at 10:00' })) as unknown as ArrayBuffer);
    const sheetRows = ['People', 'Place'].flatMap((name) => {
      const sheet = workbook.getWorksheet(name)!;
      expect((sheet.getRow(3).values as unknown[]).slice(1)).toEqual(SCORECARD_HEADERS);
      // A figure is a number in the workbook, shown at the KPI's decimal places.
      return sheet.getRows(4, sheet.rowCount - 3)!.map((row) =>
        SCORECARD_HEADERS.map((_, i) => {
          const cell = row.getCell(i + 1);
          return typeof cell.value === 'number' ? (expect(cell.numFmt).toBe('#,##0.0"%"'), cell.value.toFixed(1)) : String(cell.value ?? '');
        }),
      );
    });
    const byKpi = (rows: string[][]) => [...rows].sort((a, b) => a[0]!.localeCompare(b[0]!));
    expect(byKpi(sheetRows)).toEqual(byKpi(csv.slice(1)));
    // Both neutralise formula-like text; a negative figure stays a number.
    const env02 = csv.find((r) => r[0] === 'ENV-02')!;
    expect(env02[4]).toBe('-1.5');
    const column = (header: string) => SCORECARD_HEADERS.indexOf(header);
    expect(env02[column('Commentary')]).toBe(`'@risk, "quoted"`);
    expect(env02[column('Route to green')]).toBe(`'=HYPERLINK("x")`);
  });
});

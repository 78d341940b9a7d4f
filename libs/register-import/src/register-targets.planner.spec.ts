import { kpiDecider, type KpiEvent, type KpiState } from '@quarterly/domain';
import { ascDescription, performanceTeam } from '@quarterly/domain/testing/domain-fixtures';
import type { RegisterFileContent, SheetRow } from './register-file.reader';
import { planRegisterImport, type CurrentRegister, type ImportPlan } from './register-import.planner';
import { KPI_COLUMNS, TARGET_COLUMNS } from './register-template';

const blank = (columns: typeof KPI_COLUMNS) => Object.fromEntries(columns.map((c) => [c.name, '']));

/** A year-to-date count of homes improved, as a council's register row writes it. */
const kpiRow = (row: number, cells: Record<string, string> = {}): SheetRow => ({
  row,
  cells: {
    ...blank(KPI_COLUMNS),
    kpiId: 'HSG-01',
    title: 'Homes improved',
    definition: 'Homes brought up to the decent homes standard, year to date.',
    directorate: ascDescription.directorate,
    serviceArea: 'Housing',
    planOutcome: '2.1 Homes for all',
    owner: 's.lead',
    unit: 'count',
    decimalPlaces: '0',
    polarity: 'higher_is_better',
    frequency: 'quarterly',
    measureType: 'year_to_date',
    dataSource: 'Housing system',
    labels: 'green_amber_red',
    ...cells,
  },
});
const targetRow = (row: number, cells: Record<string, string>): SheetRow => ({ row, cells: { ...blank(TARGET_COLUMNS), kpiId: 'HSG-01', ...cells } });
const file = (kpis: SheetRow[], targets: SheetRow[]): RegisterFileContent => ({ kind: 'xlsx', kpis, people: [], targets, problems: [] });

const sLead: CurrentRegister['people'] = new Map([
  [
    's.lead',
    {
      state: { status: 'active', person: { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: ascDescription.directorate } } as never,
      revision: 0n,
    },
  ],
]);
const options = { fileName: 'register.xlsx', sha256: 'cd'.repeat(32), context: performanceTeam };
const register = (kpis: [string, KpiState, bigint][] = []): CurrentRegister => ({
  kpis: new Map(kpis.map(([id, state, revision]) => [id, { state, revision }])),
  people: sLead,
});

/** The register after an apply: every planned command decided and folded, stream by stream. */
function applied(plan: ImportPlan, before: CurrentRegister): CurrentRegister {
  const kpis = new Map(before.kpis);
  for (const stream of plan.streams) {
    if (stream.kind !== 'kpi') continue;
    const id = stream.streamId.replace(/^kpi-/, '');
    let state = kpis.get(id)?.state ?? kpiDecider.initialState;
    let revision = kpis.get(id)?.revision ?? -1n;
    for (const command of stream.commands) {
      for (const event of kpiDecider.decide(command as never, state) as KpiEvent[]) {
        state = kpiDecider.evolve(state, event);
        revision += 1n;
      }
    }
    kpis.set(id, { state, revision });
  }
  return { kpis, people: before.people };
}

const years = ['2022/23', '2023/24', '2024/25', '2025/26', '2026/27'];

describe('planning a register with a Targets sheet and the rating-model columns', () => {
  const rows = () => [
    kpiRow(2, { unitLabel: 'homes', financialYear: '2026/27', policy: 'thresholds', green: '400', amber: '360', lastYearBasis: 'pro_rata_annual', ratedFigure: 'year_to_date' }),
  ];
  const targets = () => [
    ...years.slice(0, 4).map((year, index) => targetRow(2 + index, { financialYear: year, policy: 'thresholds', green: String(300 + index * 20), amber: String(270 + index * 20) })),
    targetRow(6, { financialYear: '2026/27', period: 'Q1', policy: 'thresholds', green: '100', amber: '90' }),
    targetRow(7, { financialYear: '2026/27', period: 'H2', policy: 'met_not_met', target: '300', lastYearBasis: 'pro_rata_annual' }),
  ];

  it('defines the KPI with its unit label and sets five years of targets, a profile, a rated figure and a basis', () => {
    const plan = planRegisterImport(file(rows(), targets()), register(), options);
    expect(plan.problems).toEqual([]);
    expect(plan.summary).toEqual({ new: 7, changed: 0, unchanged: 0, refused: 0 });
    expect(plan.rows.map((r) => [r.sheet, r.row, r.outcome, r.events.join(' ')])).toEqual([
      ['KPIs', 2, 'new', 'KpiDefined KpiTargetPolicySet'],
      ['Targets', 2, 'new', 'KpiTargetPolicySet'],
      ['Targets', 3, 'new', 'KpiTargetPolicySet'],
      ['Targets', 4, 'new', 'KpiTargetPolicySet'],
      ['Targets', 5, 'new', 'KpiTargetPolicySet'],
      ['Targets', 6, 'new', 'KpiTargetPolicySet'],
      ['Targets', 7, 'new', 'KpiTargetPolicySet'],
    ]);
    expect(plan.streams).toHaveLength(1);
    const [define, year, ...rest] = plan.streams[0]!.commands;
    expect(define).toMatchObject({ type: 'DefineKpi', data: { unitLabel: 'homes' } });
    expect(year).toMatchObject({ data: { financialYear: '2026/27', ratedFigure: 'year_to_date', lastYearBasis: 'pro_rata_annual' } });
    // The year's model travels with each of its period rows, so the year keeps it.
    expect(rest.find((c) => (c.data as { period?: string }).period === 'Q1')).toMatchObject({
      data: { period: 'Q1', ratedFigure: 'year_to_date', lastYearBasis: 'pro_rata_annual' },
    });
    const after = applied(plan, register()).kpis.get('HSG-01')!.state;
    expect(after.status === 'active' && after.kpi.targets['2026/27']).toEqual({
      policy: { kind: 'thresholds', green: '400', amber: '360' },
      periods: { Q1: { kind: 'thresholds', green: '100', amber: '90' }, H2: { kind: 'met_not_met', target: '300' } },
      ratedFigure: 'year_to_date',
      lastYearBasis: 'pro_rata_annual',
    });
    expect(after.status === 'active' && Object.keys(after.kpi.targets).sort()).toEqual(years);
  });

  it('changes nothing when the same file is imported again', () => {
    const first = planRegisterImport(file(rows(), targets()), register(), options);
    const again = planRegisterImport(file(rows(), targets()), applied(first, register()), options);
    expect(again.summary).toEqual({ new: 0, changed: 0, unchanged: 7, refused: 0 });
    expect(again.streams).toEqual([]);
  });

  it('reads a targets file alone for KPIs of the register, and names every bad row by row and column', () => {
    const first = planRegisterImport(file(rows(), []), register(), options);
    const current = applied(first, register());
    const plan = planRegisterImport(
      file([], [
        targetRow(2, { kpiId: 'NOPE-1', financialYear: '2026/27', policy: 'tracker' }),
        targetRow(3, { kpiId: 'hsg-01', financialYear: '2026/27', policy: 'tracker' }),
        targetRow(4, { financialYear: '2026/27', period: 'Q5', policy: 'tracker' }),
        targetRow(5, { financialYear: '2027/28', period: 'Q1', policy: 'tracker' }),
        targetRow(6, { financialYear: '2024/25', policy: 'thresholds', green: 'lots', amber: '90' }),
        targetRow(7, { financialYear: '2026/27', period: 'Q3', policy: 'thresholds', green: '100', amber: '-5' }),
        targetRow(8, { financialYear: '2026/27', period: 'Q4', policy: '' }),
        targetRow(9, { financialYear: '2026/27', period: 'H1', policy: 'tracker', lastYearBasis: 'last_year_outturn' }),
        targetRow(10, { financialYear: '2026/27', period: 'Q2', policy: 'thresholds', green: '110', amber: '100' }),
        targetRow(11, { financialYear: '2026/27', period: 'Q2', policy: 'thresholds', green: '120', amber: '100' }),
        targetRow(12, { financialYear: '2025/26', policy: 'thresholds', green: '2', amber: '1', ratedFigure: 'rolling' }),
        targetRow(13, { financialYear: '2026/27', policy: 'pass_fail' }),
        targetRow(14, { financialYear: '2026/27', period: 'Q1', policy: 'tracker', lastYearBasis: 'same_period' }),
      ]),
      current,
      options,
    );
    expect(plan.problems.map((p) => [p.sheet, p.row, p.column, p.problem])).toEqual([
      ['Targets', 2, 'kpiId', 'NOPE-1 is neither in the register nor on the KPIs sheet'],
      ['Targets', 3, 'kpiId', 'hsg-01 differs only in case from HSG-01 in the register: write it as HSG-01'],
      ['Targets', 4, 'period', '"Q5" is not one of the choices: write Q1, Q2, Q3, Q4, H1 or H2'],
      ['Targets', 5, 'period', "set the whole year's policy for 2027/28 before a period's"],
      ['Targets', 6, 'green', 'expected a decimal number like 83.5, got "lots"'],
      ['Targets', 7, 'amber', expect.stringContaining('-5')],
      ['Targets', 8, 'policy', 'the policy is empty: write thresholds, tolerance, met_not_met, direction or tracker (or the words the app prints, like "Green and amber thresholds")'],
      ['Targets', 11, 'period', 'the Q2 targets for 2026/27 are also on row 10 of the Targets sheet'],
      ['Targets', 12, 'ratedFigure', '"rolling" is not one of the choices: write in_period or year_to_date (or the words the app prints, like "In period")'],
      ['Targets', 13, 'policy', expect.stringMatching(/^"pass_fail" is not one of the choices: write thresholds, tolerance, met_not_met, direction or tracker/)],
      ['Targets', 14, 'lastYearBasis', 'same_period differs from last_year_outturn on row 9 of the Targets sheet: one lastYearBasis per KPI and year'],
    ]);
    // The file may change the basis the register holds for the year: row 9 carries it.
    expect(plan.rows.find((r) => r.row === 9)).toMatchObject({ outcome: 'new', events: ['KpiTargetPolicySet'] });
    expect(plan.rows.find((r) => r.row === 10)).toMatchObject({ outcome: 'new' });
  });

  it("refuses a rated figure or basis on a KPIs row without a policy, and a period's row for a refused KPI", () => {
    const plan = planRegisterImport(
      file([kpiRow(2, { lastYearBasis: 'last_year_outturn' }), kpiRow(3, { kpiId: 'BAD-1', unit: 'furlongs', financialYear: '2026/27', policy: 'tracker' })], [
        targetRow(2, { kpiId: 'BAD-1', financialYear: '2026/27', period: 'Q1', policy: 'tracker' }),
      ]),
      register(),
      options,
    );
    expect(plan.problems.map((p) => [p.sheet, p.row, p.column, p.problem])).toEqual([
      ['KPIs', 2, 'lastYearBasis', "lastYearBasis is given but no policy: it belongs to the targets of the row's financial year"],
      ['KPIs', 3, 'unit', expect.stringMatching(/^"furlongs" is not one of the choices: write percentage, count, .* or score \(or the words the app prints, like "%"\)$/)],
      ['Targets', 2, 'kpiId', 'BAD-1 is refused on row 3 of the KPIs sheet'],
    ]);
  });
});

import { kpiDecider, personDecider, type KpiEvent, type KpiState, type PersonEvent, type PersonState } from '@quarterly/domain';
import { ascDescription, performanceTeam } from '@quarterly/domain/testing/domain-fixtures';
import type { RegisterFileContent, SheetRow } from './register-file.reader';
import { planRegisterImport, type CurrentRegister } from './register-import.planner';
import { KPI_COLUMNS, PEOPLE_COLUMNS } from './register-template';

const blank = (columns: typeof KPI_COLUMNS) => Object.fromEntries(columns.map((c) => [c.name, '']));

function kpiRow(row: number, cells: Record<string, string>): SheetRow {
  return {
    row,
    cells: {
      ...blank(KPI_COLUMNS),
      kpiId: 'ASC-01',
      title: ascDescription.title,
      definition: ascDescription.definition,
      directorate: ascDescription.directorate,
      serviceArea: ascDescription.serviceArea,
      planOutcome: ascDescription.planOutcome,
      owner: 's.lead',
      keyContacts: 'k.contact',
      unit: 'percentage',
      decimalPlaces: '2',
      polarity: 'higher_is_better',
      frequency: 'quarterly',
      measureType: 'snapshot',
      dataSource: ascDescription.dataSource,
      benchmarkSources: 'national average; statistical neighbours',
      labels: 'on_track_monitor_action',
      ...cells,
    },
  };
}

const personRow = (row: number, cells: Record<string, string>): SheetRow => ({ row, cells: { ...blank(PEOPLE_COLUMNS), ...cells } });
const file = (kpis: SheetRow[], people: SheetRow[] = []): RegisterFileContent => ({ kind: 'xlsx', kpis, people, problems: [] });

const kpiState = (...events: KpiEvent[]): { state: KpiState; revision: bigint } => ({
  state: events.reduce(kpiDecider.evolve, kpiDecider.initialState),
  revision: BigInt(events.length - 1),
});
const personState = (...events: PersonEvent[]): { state: PersonState; revision: bigint } => ({
  state: events.reduce(personDecider.evolve, personDecider.initialState),
  revision: BigInt(events.length - 1),
});

const defined: KpiEvent = {
  type: 'KpiDefined',
  data: { kpiId: 'ASC-01', ...ascDescription, owner: 's.lead', keyContacts: ['k.contact'] },
};
const people = new Map([
  ['s.lead', personState({ type: 'PersonRegistered', data: { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: ['service-lead'], directorate: ascDescription.directorate } })],
  ['k.contact', personState({ type: 'PersonRegistered', data: { personId: 'k.contact', name: 'Kit Contact', email: 'kit@council.example', roles: ['service-lead'] } })],
]);
const options = { fileName: 'register.xlsx', sha256: 'ab'.repeat(32), context: performanceTeam };
const register = (kpis: [string, { state: KpiState; revision: bigint }][] = []): CurrentRegister => ({ kpis: new Map(kpis), people });

describe('planning a register import', () => {
  it('leaves a KPI that matches the register unchanged, with nothing to write', () => {
    const plan = planRegisterImport(file([kpiRow(2, {})]), register([['ASC-01', kpiState(defined)]]), options);
    expect(plan.rows).toEqual([{ sheet: 'KPIs', row: 2, id: 'ASC-01', outcome: 'unchanged', events: [] }]);
    expect(plan.streams).toEqual([]);
  });

  it('changes only what differs: an amendment for the fields, a change of ownership for the people', () => {
    const plan = planRegisterImport(file([kpiRow(2, { serviceArea: 'Adult Social Care (long-term)', owner: 'k.contact', keyContacts: '' })]), register([['ASC-01', kpiState(defined)]]), options);
    expect(plan.rows[0]).toMatchObject({ outcome: 'changed', events: ['KpiDefinitionAmended', 'KpiOwnershipChanged'] });
    expect(plan.streams[0]).toMatchObject({ streamId: 'kpi-ASC-01', expectedRevision: 0n });
    expect(plan.streams[0]!.commands[0]).toMatchObject({
      type: 'AmendKpiDefinition',
      data: { changes: { serviceArea: 'Adult Social Care (long-term)' }, reason: `register import register.xlsx (sha256 ${'ab'.repeat(32)})` },
    });
  });

  it('refuses any change to a retired KPI, and leaves it alone when nothing changes', () => {
    const retired = kpiState(defined, { type: 'KpiRetired', data: { reason: 'replaced', effectiveFrom: '2024/25-Q3' } });
    const changed = planRegisterImport(file([kpiRow(2, { title: 'New title' })]), register([['ASC-01', retired]]), options);
    expect(changed.problems).toEqual([{ sheet: 'KPIs', row: 2, column: null, problem: 'KPI ASC-01 is retired from 2024/25-Q3' }]);
    expect(planRegisterImport(file([kpiRow(2, {})]), register([['ASC-01', retired]]), options).rows[0]!.outcome).toBe('unchanged');
  });

  it('refuses a new KPI with the reference "new", which names the page that adds a KPI', () => {
    const plan = planRegisterImport(file([kpiRow(2, { kpiId: 'New' })]), register(), options);
    expect(plan.problems).toEqual([{ sheet: 'KPIs', row: 2, column: 'kpiId', problem: expect.stringMatching(/^"New" is reserved: \/app\/kpis\/new is the page that adds a KPI/) }]);
    expect(plan.streams).toEqual([]);
  });

  it('wants a policy for target columns and a financial year for a policy', () => {
    const plan = planRegisterImport(file([kpiRow(2, { kpiId: 'A-1', green: '24.1' }), kpiRow(3, { kpiId: 'A-2', policy: 'tracker' })]), register(), options);
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'policy', 'green is given but no policy says how to use it: write the policy (thresholds, tolerance, met_not_met, direction, tracker)'],
      [3, 'financialYear', 'the financial year the targets are for is empty (write it like 2026/27)'],
    ]);
  });

  it('registers new people and changes existing ones by what differs, people before KPIs', () => {
    const plan = planRegisterImport(
      file(
        [kpiRow(2, { kpiId: 'NEW-1', owner: 'n.person' })],
        [
          personRow(2, { personId: 'n.person', name: 'New Person', email: 'new@council.example', roles: 'service-lead', directorate: ascDescription.directorate }),
          personRow(3, { personId: 'k.contact', name: 'Kit Contact', email: 'kit.contact@council.example', roles: 'service-lead' }),
          personRow(4, { personId: 's.lead', name: 'Sam Lead', email: 'sam@council.example', roles: 'service-lead', directorate: ascDescription.directorate }),
        ],
      ),
      register([['ASC-01', kpiState(defined)]]),
      options,
    );
    expect(plan.summary).toEqual({ new: 2, changed: 1, unchanged: 1, refused: 0 });
    expect(plan.streams.map((s) => s.streamId)).toEqual(['person-n.person', 'person-k.contact', 'kpi-NEW-1']);
    expect(plan.streams[1]!.commands[0]).toMatchObject({ type: 'ChangePersonDetails', data: { email: 'kit.contact@council.example' } });
  });

  it('refuses a person id twice and a role that does not exist, by column', () => {
    const plan = planRegisterImport(
      file([], [
        personRow(2, { personId: 'a.b', name: 'A B', email: 'ab@council.example', roles: 'mayor' }),
        personRow(3, { personId: 'A.B', name: 'A B', email: 'ab@council.example', roles: 'auditor' }),
      ]),
      register(),
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'roles', '"mayor" is not one of the choices: write performance-team, service-lead, dmt, clt, auditor or member (or the words the app prints, like "Performance team")'],
      [3, 'personId', 'A.B is also on row 2'],
    ]);
  });

  it("refuses a sign-in id another person holds, in the directory or on an earlier row, naming them", () => {
    const oid = '7d3c0c1e-52b1-4c4e-9a0e-1f2d3c4b5a69';
    const withSignIn = new Map([
      ...people,
      ['p.perf', personState({ type: 'PersonRegistered', data: { personId: 'p.perf', name: 'Pat Perf', email: 'pat@council.example', roles: ['performance-team'], signInId: oid } })],
    ]);
    const plan = planRegisterImport(
      file([], [
        personRow(2, { personId: 'p.perf', name: 'Pat Perf', email: 'pat@council.example', roles: 'performance-team', signInId: oid }),
        personRow(3, { personId: 'n.new', name: 'New Person', email: 'new@council.example', roles: 'auditor', signInId: oid }),
        personRow(4, { personId: 'n.two', name: 'Two', email: 'two@council.example', roles: 'auditor', signInId: 'e1' }),
        personRow(5, { personId: 'n.three', name: 'Three', email: 'three@council.example', roles: 'auditor', signInId: 'e1' }),
      ]),
      { kpis: new Map(), people: withSignIn },
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [3, 'signInId', `${oid} is also the sign-in id on row 2`],
      [5, 'signInId', 'e1 is also the sign-in id on row 4'],
    ]);
    const alone = planRegisterImport(
      file([], [personRow(2, { personId: 'n.new', name: 'New Person', email: 'new@council.example', roles: 'auditor', signInId: oid })]),
      { kpis: new Map(), people: withSignIn },
      options,
    );
    expect(alone.problems.map((p) => [p.row, p.column, p.problem])).toEqual([[2, 'signInId', `${oid} is already the sign-in id of p.perf`]]);
    expect(plan.summary).toMatchObject({ unchanged: 1, new: 1, refused: 2 });
  });

  it('reads the words the pages print for each code, in any case, and figures written as the pages write them', () => {
    const plan = planRegisterImport(
      file([
        kpiRow(2, {
          kpiId: 'A-1',
          unit: ' % ',
          polarity: 'Higher is better',
          frequency: 'quarterly',
          measureType: 'Snapshot at the end of the period',
          labels: 'on track, monitor, action required',
          financialYear: '2026-27',
          policy: 'Green and amber thresholds',
          green: '45.0%',
          amber: '40 %',
        }),
        kpiRow(3, { kpiId: 'A-2', unit: 'Rate per 1,000', polarity: 'lower-is-better', frequency: 'Six-monthly', measureType: 'Year to date (cumulative)', labels: 'Green, Amber, Red', annualDueQuarter: '' }),
        kpiRow(4, { kpiId: 'A-3', unit: 'Money (£)', polarity: 'Neither (tracked only)', frequency: 'Annual', annualDueQuarter: 'Q2', financialYear: '2026/27', policy: 'Tracker: no target' }),
      ]),
      register(),
      options,
    );
    expect(plan.problems).toEqual([]);
    const defined = (id: string) => plan.streams.find((s) => s.streamId === `kpi-${id}`)!.commands;
    expect(defined('A-1')).toMatchObject([
      { type: 'DefineKpi', data: { unit: 'percentage', polarity: 'higher_is_better', frequency: 'quarterly', measureType: 'snapshot', labels: 'on_track_monitor_action' } },
      { type: 'SetKpiTargetPolicy', data: { financialYear: '2026/27', policy: { kind: 'thresholds', green: '45.0', amber: '40' } } },
    ]);
    expect(defined('A-2')[0]).toMatchObject({ data: { unit: 'rate_per_1000', polarity: 'lower_is_better', frequency: 'six_monthly', measureType: 'year_to_date', labels: 'green_amber_red' } });
    expect(defined('A-3')).toMatchObject([
      { type: 'DefineKpi', data: { unit: 'money', polarity: 'none', frequency: 'annual', annualDueQuarter: 2 } },
      { type: 'SetKpiTargetPolicy', data: { policy: { kind: 'tracker' } } },
    ]);
  });

  it('names every problem of a KPI row at once, in the order of the columns, each with what would be accepted', () => {
    const plan = planRegisterImport(
      file([
        kpiRow(2, {
          kpiId: 'A-1',
          title: '',
          owner: 'nobody',
          unit: 'furlongs',
          decimalPlaces: '9',
          polarity: 'sideways',
          financialYear: '2026',
          policy: 'thresholds',
          green: 'lots',
          amber: '40%',
        }),
        kpiRow(3, { kpiId: 'A-2', unit: 'percentage', financialYear: '2026/27', policy: 'thresholds', green: '40', amber: '45', validMin: '0', validMax: '100' }),
        kpiRow(4, { kpiId: 'A-3', polarity: 'up is good', financialYear: '2026/27', policy: 'thresholds', green: 'lots', amber: '140' }),
      ]),
      register(),
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'title', 'is empty'],
      [2, 'owner', 'nobody is not an active person in the directory nor on the People sheet'],
      [2, 'unit', expect.stringMatching(/^"furlongs" is not one of the choices: write percentage, count, /)],
      [2, 'decimalPlaces', 'must be a whole number from 0 to 6'],
      [2, 'polarity', '"sideways" is not one of the choices: write higher_is_better, lower_is_better or none (or the words the app prints, like "Higher is better")'],
      [2, 'financialYear', 'expected a financial year like 2024/25, got 2026'],
      [2, 'green', 'expected a decimal number like 83.5, got "lots"'],
      [3, 'amber', 'must not be above the green target when higher is better'],
      // Without a polarity the targets cannot be ordered, but each is still read.
      [4, 'polarity', expect.stringMatching(/^"up is good" is not one of the choices/)],
      [4, 'green', 'expected a decimal number like 83.5, got "lots"'],
      [4, 'amber', '140 is outside the valid range 0 to 100'],
    ]);
    expect(plan.summary).toMatchObject({ new: 0, refused: 3 });
    expect(plan.streams).toEqual([]);
  });

  it('names every problem of a People row at once', () => {
    const plan = planRegisterImport(
      file([], [personRow(2, { personId: 'a.b', name: '', email: 'not-an-email', roles: 'service lead; mayor' }), personRow(3, { personId: 'c.d', name: 'Cy Dee', email: 'cy@council.example', roles: 'Performance team; DMT' })]),
      register(),
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'name', 'is empty'],
      [2, 'email', 'must be an e-mail address'],
      [2, 'roles', expect.stringMatching(/^"mayor" is not one of the choices/)],
    ]);
    expect(plan.streams[0]).toMatchObject({ streamId: 'person-c.d', commands: [{ type: 'RegisterPerson', data: { roles: ['performance-team', 'dmt'] } }] });
  });
});

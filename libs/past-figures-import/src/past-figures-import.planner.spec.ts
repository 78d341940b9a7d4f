import { cycleDecider, kpiDecider, returnDecider, type CycleEvent, type KpiEvent, type ReturnEvent } from '@quarterly/domain';
import { ascDescription, performanceTeam } from '@quarterly/domain/testing/domain-fixtures';
import type { RecordedEvent } from '@quarterly/event-store';
import type { SheetRow } from '@quarterly/spreadsheet-import';
import type { PastFiguresFileContent } from './past-figures-file.reader';
import { planPastFiguresImport } from './past-figures-import.planner';
import type { PastFiguresSnapshot } from './past-figures-snapshot';
import { FIGURE_COLUMNS } from './past-figures-template';

const blank = Object.fromEntries(FIGURE_COLUMNS.map((c) => [c.name, '']));
const row = (n: number, cells: Record<string, string>): SheetRow => ({
  row: n,
  cells: { ...blank, kpiId: 'ASC-01', sourceDocument: 'Cabinet 14 Nov 2024, item 7', publishedOn: '2024-11-14', ...cells },
});
const file = (...rows: SheetRow[]): PastFiguresFileContent => ({ kind: 'csv', rows, problems: [] });
const recorded = (events: readonly { type: string; data: unknown }[]): RecordedEvent[] =>
  events.map((e, i) => ({ ...e, id: `e${i}`, schemaVersion: 1, streamId: 's', revision: BigInt(i), position: BigInt(i + 1), metadata: { actor: 'x', correlationId: 'c', causationId: 'c', recordedAt: '2024-01-01T00:00:00Z' } }));

/** ASC-01: direct payments, higher is better, quarterly; 2024/25 an "increase" interim target. */
function snapshot(extra: { cycles?: Record<string, CycleEvent[]>; returns?: Record<string, ReturnEvent[]> } = {}): PastFiguresSnapshot {
  const kpiEvents: KpiEvent[] = [
    { type: 'KpiDefined', data: { kpiId: 'ASC-01', ...ascDescription, owner: 's.lead', keyContacts: [] } },
    { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: { kind: 'direction', direction: 'increase' } } },
  ];
  const fold = <S, E>(decider: { evolve(s: S, e: E): S; initialState: S }, events: readonly E[]) => events.reduce(decider.evolve, decider.initialState);
  return {
    kpis: new Map([['ASC-01', { state: fold(kpiDecider, kpiEvents), events: recorded(kpiEvents), revision: 1n }]]),
    cycles: new Map(Object.entries(extra.cycles ?? {}).map(([id, events]) => [id, { state: fold(cycleDecider, events), events: recorded(events), revision: BigInt(events.length - 1) }])),
    returns: new Map(Object.entries(extra.returns ?? {}).map(([id, events]) => [id, { state: fold(returnDecider, events), events: recorded(events), revision: BigInt(events.length - 1) }])),
  };
}
const options = { fileName: 'figures.csv', sha256: 'ab'.repeat(32), context: { ...performanceTeam, now: '2026-05-01T09:00:00.000Z' } };

describe('planning a past-figures import', () => {
  it('rates a direction target against the figure before it in the same file, and brings each quarter in once', () => {
    const plan = planPastFiguresImport(
      file(row(2, { period: '2024/25-Q1', value: '22.00', publishedOn: '2024-08-20' }), row(3, { period: '2024/25-Q2', value: '21.50', publishedStatus: 'On track', publishedDirectionPrevious: 'Improving' })),
      snapshot(),
      options,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.rows[1]).toMatchObject({
      outcome: 'new',
      events: ['CycleImported', 'ReturnFigureImported'],
      engine: { status: 'red', label: 'Action required', directionPrevious: 'declining' },
      differences: [
        { what: 'status', published: 'On track', engine: 'Action required' },
        { what: 'directionPrevious', published: 'Improving', engine: 'declining' },
      ],
    });
    expect(plan.streams.map((s) => [s.kind, s.streamId])).toEqual([
      ['cycle', 'cycle-2024-25-Q1'],
      ['cycle', 'cycle-2024-25-Q2'],
      ['return', 'return-ASC-01-2024-25-Q1'],
      ['return', 'return-ASC-01-2024-25-Q2'],
    ]);
    expect(plan.summary).toEqual({ new: 2, unchanged: 0, refused: 0, differing: 1 });
  });

  it('dates a past quarter by the earliest publication of its figures', () => {
    const plan = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.00', publishedOn: '2024-12-01' })), snapshot(), options);
    expect(plan.streams[0]).toMatchObject({ kind: 'cycle', command: { type: 'ImportCycle', data: { publicationDate: '2024-12-01' } } });
  });

  it('leaves the same figure imported from another file unchanged, and refuses a different one naming the file', () => {
    const imported = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.00' })), snapshot(), { ...options, sha256: 'cd'.repeat(32), fileName: 'first.csv' });
    const [cycleStream, returnStream] = imported.streams;
    if (cycleStream?.kind !== 'cycle' || returnStream?.kind !== 'return') throw new Error('expected a quarter and a figure');
    const events = returnDecider.decide(returnStream.command, returnDecider.initialState);
    const cycleEvents = cycleDecider.decide(cycleStream.command, cycleDecider.initialState);
    const current = snapshot({ cycles: { 'cycle-2024-25-Q2': cycleEvents }, returns: { 'return-ASC-01-2024-25-Q2': events } });
    const same = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.0' })), current, options);
    expect(same.rows[0]).toMatchObject({ outcome: 'unchanged', events: [] });
    expect(same.streams).toEqual([]);
    const other = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '23.00' })), current, options);
    expect(other.problems).toEqual([
      { sheet: 'Figures', row: 2, column: 'value', problem: "ASC-01's 2024/25-Q2 figure was imported from first.csv (published 2024-11-14); correct it with a restatement", currentState: 'imported' },
    ]);
  });

  it('refuses a quarter opened as a live cycle, naming its state', () => {
    const opened: CycleEvent = {
      type: 'CycleOpened',
      data: { cycleId: '2024/25-Q2', financialYear: '2024/25', quarter: 2, timetable: { returnsDue: '2024-10-14', dmtReviewDeadline: '2024-10-21', cltDate: '2024-10-28', publicationDate: '2024-11-11' }, requestedReturns: [] },
    };
    const plan = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.00' })), snapshot({ cycles: { 'cycle-2024-25-Q2': [opened] } }), options);
    expect(plan.problems).toEqual([
      { sheet: 'Figures', row: 2, column: 'period', problem: '2024/25-Q2 is a live cycle in Quarterly (open): its figures are reported there, and corrected by a restatement', currentState: 'open' },
    ]);
    expect(plan.streams).toEqual([]);
  });

  it('names a KPI written in another case and a month outside the period', () => {
    const plan = planPastFiguresImport(
      file(row(2, { kpiId: 'asc-01', period: '2024/25-Q2', value: '22.00' }), row(3, { period: '2024/25-Q3', value: '22.00', monthlyValues: '2024-10=1.0; oops', publishedOn: '2025-02-14' })),
      snapshot(),
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
      [2, 'kpiId', 'the register writes it ASC-01'],
      [3, 'monthlyValues', '"oops" is not a month and its figure, like 2023-07=12.0'],
    ]);
  });

  describe('dates as councils write them', () => {
    it.each(['14/11/2024', '14/11/2024 ', '14 Nov 2024', '14 November 2024', '2024-11-14'])('reads %s as 14 November 2024, day before month', (written) => {
      const plan = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.00', publishedOn: written })), snapshot(), options);
      expect(plan.problems).toEqual([]);
      const stream = plan.streams.find((s) => s.kind === 'return');
      expect(stream?.command).toMatchObject({ data: { published: { publishedOn: '2024-11-14' } } });
    });

    it('reads 4/11/2024 as 4 November, never 11 April', () => {
      const plan = planPastFiguresImport(file(row(2, { period: '2024/25-Q2', value: '22.00', publishedOn: '4/11/2024' })), snapshot(), options);
      expect(plan.problems).toEqual([]);
      expect(plan.streams[0]).toMatchObject({ kind: 'cycle', command: { data: { publicationDate: '2024-11-04' } } });
    });

    it('refuses an impossible date and a year not in full, naming the row and the column', () => {
      const plan = planPastFiguresImport(
        file(row(2, { period: '2024/25-Q2', value: '22.00', publishedOn: '31/02/2025' }), row(3, { period: '2024/25-Q3', value: '22.00', publishedOn: '14/02/25' })),
        snapshot(),
        options,
      );
      expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([
        [2, 'publishedOn', '"31/02/2025" is not a date: February 2025 has 28 days'],
        [3, 'publishedOn', '"14/02/25" does not give the year in full: write it like 14/08/2025, 14 Aug 2025 or 2025-08-14'],
      ]);
      expect(plan.streams).toEqual([]);
    });
  });

  it('names every problem of a row at once, each with its column and what would be accepted', () => {
    const plan = planPastFiguresImport(
      file(
        row(2, { period: '2024/25-Q2', value: 'twenty', publishedStatus: 'Bright green', publishedDirectionPrevious: 'Sideways', sourceDocument: '', publishedOn: '32/11/2024' }),
        row(3, { kpiId: 'NOPE-01', period: '2024/25-Q9', value: '1', publishedStatus: 'Blue', publishedOn: 'soon' }),
        row(4, { period: '2024/25-Q3', value: '22.00', publishedOn: '2024-12-31' }),
      ),
      snapshot(),
      options,
    );
    expect(plan.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'value'],
      [2, 'publishedStatus'],
      [2, 'publishedDirectionPrevious'],
      [2, 'sourceDocument'],
      [2, 'publishedOn'],
      [3, 'kpiId'],
      [3, 'period'],
      [3, 'publishedStatus'],
      [3, 'publishedOn'],
      [4, 'publishedOn'],
    ]);
    expect(plan.problems.find((p) => p.row === 2 && p.column === 'publishedOn')?.problem).toBe('"32/11/2024" is not a date: November 2024 has 30 days');
    expect(plan.problems.find((p) => p.row === 4)?.problem).toBe('must be after the period ends (2024-12-31)');
    expect(plan.summary).toMatchObject({ new: 0, refused: 3 });
    expect(plan.streams).toEqual([]);
  });

  it('checks the figure against its KPI when the period is wrong, so the row is corrected in one round', () => {
    const plan = planPastFiguresImport(file(row(2, { period: '2024/25-Q5', value: 'twenty', inPeriodValue: '250' })), snapshot(), options);
    expect(plan.problems.map((p) => [p.row, p.column])).toEqual([
      [2, 'period'],
      [2, 'value'],
      [2, 'inPeriodValue'],
    ]);
  });

  it('reads figures written as the papers print them, with the KPI\'s unit', () => {
    const plan = planPastFiguresImport(
      file(row(2, { period: '2024/25-Q2', value: '22.00%', yearToDateValue: '21.5 %' }), row(3, { period: '2024/25-Q3', value: '£22', publishedOn: '2025-02-14' })),
      snapshot(),
      options,
    );
    expect(plan.rows[0]).toMatchObject({ outcome: 'new', value: '22.00' });
    expect(plan.problems.map((p) => [p.row, p.column, p.problem])).toEqual([[3, 'value', 'expected a decimal number like 83.5, got "£22"']]);
  });

  it('reads a period typed as the pages read it (2024/25 Q2, Q2 2024-25)', () => {
    const plan = planPastFiguresImport(file(row(2, { period: '2024/25 Q1', value: '22.00', publishedOn: '2024-08-20' }), row(3, { period: 'q2 2024-25', value: '22.50' })), snapshot(), options);
    expect(plan.problems).toEqual([]);
    expect(plan.rows.map((r) => r.period)).toEqual(['2024/25-Q1', '2024/25-Q2']);
    expect(plan.rows[1]!.engine).toMatchObject({ directionPrevious: 'improving' });
  });
});

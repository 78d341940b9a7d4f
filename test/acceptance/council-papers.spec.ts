/**
 * Acceptance on real council papers, with the domain's rules alone (no I/O but reading the
 * fixtures): every status and direction of travel a paper printed, for every row transcribed in
 * test/fixtures/councils/<council>/, is rated and compared by the engine with the council's
 * stated method (chosen once per council, see each SOURCE.md) and must agree.
 *
 * What the printed figures cannot determine is listed below with the reason, and what a paper
 * printed against its own stated method is listed as a known disagreement with the reason. The
 * lists are checked both ways: a row that starts to agree, or a new row that is not listed,
 * fails the test. No row of a fixture is ever changed to agree.
 *
 * The end-to-end twin, through the register import, the past-figures import and the scorecard
 * API, is test/e2e/council-papers.e2e-spec.ts.
 */
import { comparisonPeriods, directionOfTravel, enteredFigureOf, lastYearReferenceOf, rate, targetsInForce, type KpiUnit, type LastYearBasis, type MeasureType, type ReportingPeriod } from '@quarterly/domain';
import { KPI_COLUMNS, PEOPLE_COLUMNS } from '@quarterly/register-import';
import {
  COUNCILS,
  headerOf,
  KPI_COLUMNS_ISSUE_9,
  PAST_FIGURES_COLUMNS,
  TARGETS_COLUMNS,
  compareDirection,
  financialYearOfPeriod,
  itemKey,
  loadCouncilFixture,
  printedDirection,
  printedItems,
  yearTargetsFromFixture,
  type CouncilFixture,
  type FixtureKpi,
  type PrintedItem,
  type Verdict,
} from '@quarterly/testing/council-papers';
import { CANNOT_BE_DETERMINED, KNOWN_DISAGREEMENTS } from '../fixtures/councils/expected-verdicts';

/** The statuses the past-figures file accepts, as printed (issue 9 contract). */
const PUBLISHED_STATUSES = ['Green', 'Amber', 'Red', 'On track', 'Monitor', 'Action required', 'Met', 'Not met'];

/** `2024/25-Q2` → `['2024-07', '2024-08', '2024-09']`. */
function monthsOfQuarter(period: ReportingPeriod): string[] {
  const startYear = Number(period.slice(0, 4));
  const quarter = Number(period.slice(-1));
  return [0, 1, 2].map((offset) => {
    const monthIndex = 3 + (quarter - 1) * 3 + offset; // April is month 3 counted from January = 0
    const year = startYear + Math.floor(monthIndex / 12);
    return `${year}-${String((monthIndex % 12) + 1).padStart(2, '0')}`;
  });
}

/** The period of last year's figure a figure is compared with, on the council's stated basis (the domain's rule). */
function lastYearPeriodOf(item: PrintedItem, kpi: FixtureKpi, ratedFigure: MeasureType, basis: LastYearBasis): ReportingPeriod {
  const reference = lastYearReferenceOf(item.period, kpi.frequency, ratedFigure, basis);
  // A pro-rata share would need the domain's proRata as well: no paper transcribed here uses one.
  if (reference.share !== undefined) throw new Error(`${item.kpiId}: no paper transcribed here compares with a pro-rata share of last year`);
  return reference.needs.period;
}

function kpiOf(fixture: CouncilFixture, kpiId: string) {
  const kpi = fixture.kpis.find((k) => k.kpiId === kpiId);
  if (kpi === undefined) throw new Error(`${fixture.council}: figures.csv names ${kpiId}, which register.csv does not define`);
  return kpi;
}

function valueAt(fixture: CouncilFixture, kpiId: string, period: ReportingPeriod | null): string | null {
  if (period === null) return null;
  return fixture.figures.find((f) => f.kpiId === kpiId && f.period === period)?.value ?? null;
}

/** The engine's verdict on one printed item, from the fixture's figures and targets alone. */
function judge(fixture: CouncilFixture, item: PrintedItem): Verdict {
  const kpi = kpiOf(fixture, item.kpiId);
  const value = valueAt(fixture, item.kpiId, item.period);
  const periods = comparisonPeriods(item.period, kpi.frequency, kpi.measureType);
  const inForce = targetsInForce(yearTargetsFromFixture(fixture.targets, item.kpiId, financialYearOfPeriod(item.period)), item.period, kpi.measureType);
  if (value === null) return { outcome: 'cannot be determined', reason: `${item.aspect === 'status' ? 'status' : 'direction'} printed for a figure not shown` };
  switch (item.aspect) {
    case 'status': {
      if (inForce.policy === null) return { outcome: 'cannot be determined', reason: 'status printed for a target not shown' };
      const previousValue = valueAt(fixture, item.kpiId, periods.previous);
      if (inForce.policy.kind === 'direction' && previousValue === null) {
        return { outcome: 'cannot be determined', reason: `no figure printed for the previous period (${periods.previous})` };
      }
      const rating = rate(value, inForce.policy, {
        polarity: kpi.polarity,
        labels: kpi.labels,
        financialYear: financialYearOfPeriod(item.period),
        previousValue,
      });
      const engine = rating.label ?? `no status (${rating.noStatusReason})`;
      return { outcome: engine === item.printed ? 'agrees' : 'disagrees', engine };
    }
    case 'vs previous':
    case 'vs last year': {
      const against =
        item.aspect === 'vs previous' ? periods.previous : lastYearPeriodOf(item, kpi, inForce.ratedFigure, inForce.lastYearBasis);
      if (against === null) return { outcome: 'cannot be determined', reason: 'no like-for-like previous period' };
      const earlier = valueAt(fixture, item.kpiId, against);
      const which = item.aspect === 'vs previous' ? 'previous' : 'last-year';
      if (earlier === null) return { outcome: 'cannot be determined', reason: `no figure printed for the ${which} period (${against})` };
      return compareDirection(item.printed, directionOfTravel(value, earlier, kpi.polarity), directionOfTravel(value, earlier, 'none'));
    }
  }
}

const fixtures = COUNCILS.map(loadCouncilFixture);
const judged = fixtures.flatMap((fixture) => printedItems(fixture).map((item) => ({ fixture, item, verdict: judge(fixture, item) })));

describe('council papers: every printed status and direction of travel, by the domain rules', () => {
  describe.each(fixtures.map((f) => [f.council, f] as const))('%s', (_council, fixture) => {
    it('is written in the import formats: register (KPIs, People, Targets) and past figures', () => {
      const kpiColumns = [...KPI_COLUMNS.map((c) => c.name), ...KPI_COLUMNS_ISSUE_9];
      expect(headerOf(fixture.files.register).filter((column) => !kpiColumns.includes(column))).toEqual([]);
      expect(headerOf(fixture.files.register)).toEqual(expect.arrayContaining(KPI_COLUMNS.filter((c) => c.required).map((c) => c.name)));
      expect(headerOf(fixture.files.people)).toEqual(PEOPLE_COLUMNS.map((c) => c.name));
      expect(headerOf(fixture.files.targets)).toEqual([...TARGETS_COLUMNS]);
      expect(headerOf(fixture.files.figures)).toEqual([...PAST_FIGURES_COLUMNS]);
      const defined = new Set(fixture.kpis.map((k) => k.kpiId));
      expect(fixture.figures.filter((f) => !defined.has(f.kpiId))).toEqual([]);
      expect(fixture.targets.filter((t) => !defined.has(t.kpiId))).toEqual([]);
    });

    it('transcribes every figure as a valid entry for its KPI, exactly as printed', () => {
      for (const figure of fixture.figures) {
        if (figure.value === null) {
          expect(figure.cells.notAvailableReason).not.toBe('');
          continue;
        }
        const kpi = kpiOf(fixture, figure.kpiId);
        const { validMin, validMax } = kpi.cells;
        const validRange = validMin || validMax ? { validRange: { min: validMin || null, max: validMax || null } } : {};
        const entered = enteredFigureOf(figure.value, { decimalPlaces: kpi.decimalPlaces, unit: kpi.unit as KpiUnit, ...validRange }, `${figure.kpiId} ${figure.period}`);
        // The figure is written as the council printed it: nothing to normalise.
        expect(entered).toEqual({ value: figure.value });
      }
    });

    it("gives a monthly KPI's quarter the months printed, in order, the latest being the quarter's figure", () => {
      for (const figure of fixture.figures.filter((f) => f.cells.monthlyValues !== '')) {
        expect(kpiOf(fixture, figure.kpiId).frequency).toBe('monthly');
        const months = figure.cells.monthlyValues!.split(';').map((pair) => pair.trim().split('='));
        const quarterMonths = monthsOfQuarter(figure.period);
        expect(months.map(([month]) => month)).toEqual(quarterMonths.filter((month) => months.some(([m]) => m === month)));
        expect(months.at(-1)![1]).toBe(figure.value);
      }
    });

    it('names its source for every figure', () => {
      for (const figure of fixture.figures) {
        expect(figure.cells.sourceDocument).not.toBe('');
        expect(figure.cells.publishedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }
    });

    it('writes printed results in the words of the past-figures file', () => {
      for (const item of printedItems(fixture)) {
        if (item.aspect === 'status') expect(PUBLISHED_STATUSES).toContain(item.printed);
        else expect(() => printedDirection(item.printed)).not.toThrow();
      }
    });

    it('agrees with every printed item it can determine, except the known disagreements', () => {
      const mine = judged.filter((j) => j.fixture === fixture);
      expect(mine.length).toBeGreaterThan(0);
      const unexpected = mine
        .filter(({ item, verdict }) => verdict.outcome === 'disagrees' && !(itemKey(item) in KNOWN_DISAGREEMENTS))
        .map(({ item, verdict }) => `${itemKey(item)}: printed ${item.printed}, engine ${verdict.outcome === 'disagrees' ? verdict.engine : ''}`);
      expect(unexpected).toEqual([]);
      expect(mine.some(({ verdict }) => verdict.outcome === 'agrees')).toBe(true);
    });

    it('gives trackers no status, as the papers print none', () => {
      const trackers = fixture.targets.filter((t) => t.policy.kind === 'tracker');
      for (const tracker of trackers) {
        for (const figure of fixture.figures.filter((f) => f.kpiId === tracker.kpiId && f.value !== null)) {
          const kpi = kpiOf(fixture, figure.kpiId);
          const rating = rate(figure.value, tracker.policy, { polarity: kpi.polarity, labels: kpi.labels, financialYear: tracker.financialYear });
          expect(rating).toMatchObject({ status: null, noStatusReason: 'tracker' });
          expect(figure.publishedStatus).toBeNull();
        }
      }
    });
  });

  it('lists exactly the printed items that cannot be determined, with the reason', () => {
    const found = Object.fromEntries(
      judged.flatMap(({ item, verdict }) => (verdict.outcome === 'cannot be determined' ? [[itemKey(item), verdict.reason]] : [])),
    );
    expect(found).toEqual(CANNOT_BE_DETERMINED);
  });

  it('lists exactly the known disagreements, each still disagreeing', () => {
    const found = judged.filter(({ verdict }) => verdict.outcome === 'disagrees').map(({ item }) => itemKey(item));
    expect(found.sort()).toEqual(Object.keys(KNOWN_DISAGREEMENTS).sort());
  });
});

import type { RatingPolicy } from '@quarterly/domain';
import { READ_MODEL_TEST_DIALECTS } from '@quarterly/testing/read-model-test-database';
import { getKpi } from '../kpi-register/kpi-register.queries';
import { EventScript, ratingOf } from '../testing/event-script';
import { ReadModelHarness } from '../testing/read-model-harness';
import { getScorecard, ScorecardEntry } from './scorecard.queries';

const HOMES_YEAR: RatingPolicy = { kind: 'thresholds', green: '1000', amber: '900' };
const HOMES_Q1: RatingPolicy = { kind: 'thresholds', green: '250', amber: '225' };
const CLAIM_DAYS: RatingPolicy = { kind: 'thresholds', green: '20', amber: '22' };

/**
 * A year-to-date count compared with a pro-rata share of last year's total, an in-quarter average
 * compared with last year's outturn (its year-to-date figure at Q4) once the basis is stated, and
 * a new KPI with no figure last year.
 */
function history(): EventScript {
  const s = new EventScript();
  s.at('2023-04-01T09:00:00Z')
    .person('p.officer', 'Pat Officer', ['performance-team'])
    .person('s.lead', 'Sam Lead', ['service-lead'], 'Health, Care and Wellbeing')
    .person('d.director', 'Dee Director', ['dmt'], 'Health, Care and Wellbeing')
    .kpi('HSG-01', { title: 'Homes improved (year to date)', unit: 'count', decimalPlaces: 0, measureType: 'year_to_date', unitLabel: 'homes' })
    .kpi('BEN-01', { title: 'Days to process new benefit claims', unit: 'days', decimalPlaces: 1, measureType: 'in_period', polarity: 'lower_is_better' })
    .target('HSG-01', '2023/24', HOMES_YEAR)
    .target('BEN-01', '2023/24', CLAIM_DAYS);
  const lastYear: Array<[string, string, string, string]> = [
    // quarter, HSG-01 year to date, BEN-01 in quarter, BEN-01 year to date
    ['Q1', '240', '17.0', '17.0'],
    ['Q2', '500', '18.0', '17.5'],
    ['Q3', '760', '22.0', '19.0'],
    ['Q4', '1002', '21.0', '19.5'],
  ];
  let month = 7;
  for (const [quarter, homes, days, daysYearToDate] of lastYear) {
    const cycle = `2023/24-${quarter}`;
    const year = month > 12 ? 2024 : 2023;
    const mm = String(month > 12 ? month - 12 : month).padStart(2, '0');
    s.at(`${year}-${mm}-01T08:00:00Z`).openCycle(cycle, ['HSG-01', 'BEN-01']);
    s.at(`${year}-${mm}-10T09:00:00Z`)
      .submit('HSG-01', cycle, homes, ratingOf('green', '2023/24', HOMES_YEAR))
      .submit('BEN-01', cycle, days, ratingOf('green', '2023/24', CLAIM_DAYS), 's.lead', 'On plan.', { yearToDateValue: daysYearToDate });
    s.at(`${year}-${mm}-12T09:00:00Z`)
      .approve('HSG-01', cycle, homes, ratingOf('green', '2023/24', HOMES_YEAR))
      .approve('BEN-01', cycle, days, ratingOf('green', '2023/24', CLAIM_DAYS));
    month += 3;
  }
  s.at('2024-03-20T09:00:00Z')
    .kpi('NEW-01', { title: 'Residents using the new app', unit: 'count', decimalPlaces: 0, measureType: 'year_to_date' })
    .target('HSG-01', '2024/25', HOMES_YEAR, { lastYearBasis: 'pro_rata_annual' })
    .target('HSG-01', '2024/25', HOMES_Q1, { period: 'Q1' })
    .target('BEN-01', '2024/25', CLAIM_DAYS)
    .target('NEW-01', '2024/25', { kind: 'met_not_met', target: '100' }, { lastYearBasis: 'last_year_outturn' });
  s.at('2024-07-01T08:00:00Z').openCycle('2024/25-Q1', ['HSG-01', 'BEN-01', 'NEW-01']);
  s.at('2024-07-10T09:00:00Z')
    .submit('HSG-01', '2024/25-Q1', '251', { ...ratingOf('green', '2024/25', HOMES_Q1), period: 'Q1', lastYearBasis: 'pro_rata_annual' })
    .submit('BEN-01', '2024/25-Q1', '18.5', ratingOf('green', '2024/25', CLAIM_DAYS), 's.lead', 'On plan.', { yearToDateValue: '18.5' })
    .submit('NEW-01', '2024/25-Q1', '120', { ...ratingOf('met', '2024/25', { kind: 'met_not_met', target: '100' }), lastYearBasis: 'last_year_outturn' });
  s.at('2024-07-12T09:00:00Z')
    .approve('HSG-01', '2024/25-Q1', '251', { ...ratingOf('green', '2024/25', HOMES_Q1), period: 'Q1', lastYearBasis: 'pro_rata_annual' })
    .approve('BEN-01', '2024/25-Q1', '18.5', ratingOf('green', '2024/25', CLAIM_DAYS))
    .approve('NEW-01', '2024/25-Q1', '120', { ...ratingOf('met', '2024/25', { kind: 'met_not_met', target: '100' }), lastYearBasis: 'last_year_outturn' });
  // The council states BEN-01's basis later: scorecards as at before keep comparing like for like.
  s.at('2024-08-01T09:00:00Z').target('BEN-01', '2024/25', CLAIM_DAYS, { lastYearBasis: 'last_year_outturn' });
  return s;
}

const entry = (entries: readonly ScorecardEntry[], kpiId: string) => entries.find((e) => e.kpiId === kpiId)!;

describe.each(READ_MODEL_TEST_DIALECTS)('direction of travel against last year on the stated basis, on %s', (dialect) => {
  let harness: ReadModelHarness;
  beforeAll(async () => {
    harness = await ReadModelHarness.create(dialect);
    await harness.start();
    await harness.feed(history());
  });
  afterAll(async () => {
    await harness.close();
  });

  it("compares a Q1 year-to-date figure with a quarter of last year's total, rounded to the KPI's precision", async () => {
    const card = await getScorecard(harness.db, '2024/25-Q1', { asAt: '2024-09-01T00:00:00Z' });
    expect(entry(card.entries, 'HSG-01')).toMatchObject({
      value: '251',
      status: 'green',
      target: HOMES_Q1,
      unitLabel: 'homes',
      ratedFigure: 'year_to_date',
      lastYear: { periodCovered: '2023/24-Q4', value: '1002' },
      // 1002 / 4 = 250.5, printed at 0 places (half away from zero) as 251: no change.
      vsLastYear: { basis: 'pro_rata_annual', label: 'vs pro rata 1/4 of 2023/24', comparedWith: '251', direction: 'no_change' },
      directionVsLastYear: 'no_change',
    });
  });

  it("compares an in-quarter figure with last year's outturn once the basis is stated, and like for like before", async () => {
    const before = await getScorecard(harness.db, '2024/25-Q1', { asAt: '2024-07-20T00:00:00Z' });
    expect(entry(before.entries, 'BEN-01')).toMatchObject({
      lastYear: { periodCovered: '2023/24-Q1', value: '17.0' },
      vsLastYear: { basis: 'same_period', label: 'vs 2023/24-Q1', comparedWith: '17.0', direction: 'declining' },
    });
    const after = await getScorecard(harness.db, '2024/25-Q1', { asAt: '2024-09-01T00:00:00Z' });
    expect(entry(after.entries, 'BEN-01')).toMatchObject({
      value: '18.5',
      yearToDateValue: '18.5',
      lastYear: { periodCovered: '2023/24-Q4', value: '21.0', yearToDateValue: '19.5' },
      // Last year's outturn is its year-to-date figure at Q4 (19.5 days), not the Q4 quarter's 21.0.
      vsLastYear: { basis: 'last_year_outturn', label: 'vs 2023/24 outturn', comparedWith: '19.5', direction: 'improving' },
      directionVsLastYear: 'improving',
    });
  });

  it('gives no direction, and says why, when last year has no figure', async () => {
    const card = await getScorecard(harness.db, '2024/25-Q1', { asAt: '2024-09-01T00:00:00Z' });
    expect(entry(card.entries, 'NEW-01')).toMatchObject({
      status: 'met',
      lastYear: null,
      directionVsLastYear: null,
      vsLastYear: { basis: 'last_year_outturn', label: 'vs 2023/24 outturn', comparedWith: null, direction: null, noDirectionReason: 'no_last_year_figure' },
    });
  });

  it("lists a year's profile, rated figure and basis in the register", async () => {
    const kpi = await getKpi(harness.db, 'HSG-01');
    expect(kpi).toMatchObject({ unitLabel: 'homes' });
    expect(kpi!.targets).toEqual([
      expect.objectContaining({ financialYear: '2023/24', policy: HOMES_YEAR, periods: {}, ratedFigure: null, lastYearBasis: 'same_period' }),
      expect.objectContaining({ financialYear: '2024/25', policy: HOMES_YEAR, periods: { Q1: HOMES_Q1 }, lastYearBasis: 'pro_rata_annual' }),
    ]);
  });
});

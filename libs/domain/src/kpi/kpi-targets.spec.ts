import { ValidationError } from '../shared/domain-error';
import { fold } from '../shared/decider';
import type { RatingPolicy } from '../shared/rating.types';
import { DeciderSpecification } from '../testing/decider-specification';
import { ascDescription, performanceTeam } from '../testing/domain-fixtures';
import { KpiCommand, kpiDecider, yearTargetsOf } from './kpi.decider';
import type { KpiDefined, KpiEvent } from './kpi.events';
import { KpiYearTargets, targetsInForce } from './kpi-targets';

const spec = DeciderSpecification.for(kpiDecider);
const kpiId = 'WST-01';
const description = { ...ascDescription, measureType: 'year_to_date' as const, unit: 'count' as const, decimalPlaces: 0 };
const defined: KpiDefined = { type: 'KpiDefined', data: { kpiId, ...description, owner: 's.lead', keyContacts: [] } };
const year: RatingPolicy = { kind: 'thresholds', green: '4000', amber: '3600' };
const q1: RatingPolicy = { kind: 'thresholds', green: '1000', amber: '900' };
const h2: RatingPolicy = { kind: 'met_not_met', target: '3000' };
const set = (data: Record<string, unknown>): KpiCommand =>
  ({ type: 'SetKpiTargetPolicy', kpiId, data: { financialYear: '2024/25', ...data }, context: performanceTeam }) as KpiCommand;
const yearSet: KpiEvent = { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: year } };

describe('targetsInForce', () => {
  const targets: KpiYearTargets = { policy: year, periods: { Q1: q1, H2: h2 }, ratedFigure: 'year_to_date', lastYearBasis: 'last_year_outturn' };

  it("uses a quarter's own policy, then its half year's, then the year's", () => {
    expect(targetsInForce(targets, '2024/25-Q1', 'in_period')).toEqual({
      policy: q1,
      period: 'Q1',
      ratedFigure: 'year_to_date',
      lastYearBasis: 'last_year_outturn',
    });
    expect(targetsInForce(targets, '2024/25-Q2', 'in_period')).toMatchObject({ policy: year });
    expect(targetsInForce(targets, '2024/25-Q2', 'in_period').period).toBeUndefined();
    expect(targetsInForce(targets, '2024/25-Q3', 'in_period')).toMatchObject({ policy: h2, period: 'H2' });
  });

  it("uses a half year's own policy, then that of the quarter that ends it", () => {
    expect(targetsInForce(targets, '2024/25-H2', 'in_period')).toMatchObject({ policy: h2, period: 'H2' });
    expect(targetsInForce({ ...targets, periods: { Q2: q1 } }, '2024/25-H1', 'in_period')).toMatchObject({ policy: q1, period: 'Q2' });
  });

  it("rates an annual figure with the year's policy", () => {
    expect(targetsInForce(targets, '2024/25', 'in_period')).toMatchObject({ policy: year });
  });

  it("defaults to the KPI's measure type, like for like, and no policy without targets", () => {
    expect(targetsInForce(null, '2024/25-Q1', 'snapshot')).toEqual({ policy: null, ratedFigure: 'snapshot', lastYearBasis: 'same_period' });
    expect(targetsInForce({ policy: year, periods: {} }, '2024/25-Q4', 'in_period')).toEqual({
      policy: year,
      ratedFigure: 'in_period',
      lastYearBasis: 'same_period',
    });
  });
});

describe('when targets are set for a year', () => {
  it('records the rated figure and the basis with the year', () => {
    const state = spec
      .given([defined])
      .when(set({ policy: year, ratedFigure: 'in_period', lastYearBasis: 'pro_rata_annual' }))
      .then([{ type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: year, ratedFigure: 'in_period', lastYearBasis: 'pro_rata_annual' } }]);
    expect(yearTargetsOf(state, '2024/25')).toEqual({ policy: year, periods: {}, ratedFigure: 'in_period', lastYearBasis: 'pro_rata_annual' });
  });

  it("adds a quarterly profile over the year's policy, keeping the year's basis", () => {
    const withBasis: KpiEvent = { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: year, lastYearBasis: 'last_year_outturn' } };
    const state = spec
      .given([defined, withBasis])
      .when(set({ policy: q1, period: 'Q1' }))
      .then([{ type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: q1, period: 'Q1' } }]);
    expect(yearTargetsOf(state, '2024/25')).toEqual({ policy: year, periods: { Q1: q1 }, lastYearBasis: 'last_year_outturn' });
  });

  it("keeps the profile when the year's policy changes, and an old event means the year's policy, like for like", () => {
    const state = fold(kpiDecider, [
      defined,
      yearSet,
      { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: q1, period: 'Q1', ratedFigure: 'year_to_date' } },
      { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: { kind: 'tracker' } } },
    ]);
    // The last (year) event states the year's model afresh: no rated figure or basis given.
    expect(yearTargetsOf(state, '2024/25')).toEqual({ policy: { kind: 'tracker' }, periods: { Q1: q1 } });
    expect(targetsInForce(yearTargetsOf(state, '2024/25'), '2024/25-Q1', 'year_to_date')).toMatchObject({ policy: q1, lastYearBasis: 'same_period' });
  });

  it('records nothing when the same targets are set again', () => {
    const periodSet: KpiEvent = { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: q1, period: 'Q1' } };
    spec.given([defined, yearSet, periodSet]).when(set({ policy: q1, period: 'Q1' })).thenNothing();
    spec.given([defined, yearSet]).when(set({ policy: year })).thenNothing();
  });

  it("refuses a period's policy before the year's, naming the field", () => {
    spec.given([defined]).when(set({ policy: q1, period: 'Q1' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('period'));
  });

  it.each([
    ['period', { policy: q1, period: 'Q5' }],
    ['ratedFigure', { policy: year, ratedFigure: 'rolling' }],
    ['lastYearBasis', { policy: year, lastYearBasis: 'last_quarter' }],
  ])('refuses an unknown %s', (field, data) => {
    spec.given([defined, yearSet]).when(set(data)).thenThrows(ValidationError, (e) => expect(e.field).toBe(field));
  });

  it('refuses a rated figure or a pro-rata basis for a snapshot KPI, which has only its headline', () => {
    const snapshot: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, measureType: 'snapshot' } };
    spec.given([snapshot]).when(set({ policy: year, ratedFigure: 'in_period' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('ratedFigure'));
    spec.given([snapshot]).when(set({ policy: year, lastYearBasis: 'pro_rata_annual' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('lastYearBasis'));
    spec.given([snapshot]).when(set({ policy: year, lastYearBasis: 'last_year_outturn' })).then([
      { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: year, lastYearBasis: 'last_year_outturn' } },
    ]);
  });

  it('refuses a period policy for an annual KPI, and a Q1 or Q3 one for a six-monthly KPI', () => {
    const annual: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, frequency: 'annual' } };
    const annualSet: KpiEvent = yearSet;
    spec.given([annual, annualSet]).when(set({ policy: q1, period: 'Q4' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('period'));
    const sixMonthly: KpiDefined = { type: 'KpiDefined', data: { ...defined.data, frequency: 'six_monthly' } };
    spec.given([sixMonthly, yearSet]).when(set({ policy: q1, period: 'Q1' })).thenThrows(ValidationError, (e) => expect(e.field).toBe('period'));
    spec.given([sixMonthly, yearSet]).when(set({ policy: h2, period: 'H2' })).then([
      { type: 'KpiTargetPolicySet', data: { financialYear: '2024/25', policy: h2, period: 'H2' } },
    ]);
  });

  it("checks a period's targets against the KPI's valid range like the year's", () => {
    spec
      .given([defined, yearSet])
      .when(set({ policy: { kind: 'thresholds', green: '100', amber: '-5' }, period: 'Q2' }))
      .thenThrows(ValidationError, (e) => expect(e.field).toBe('policy.amber'));
  });
});

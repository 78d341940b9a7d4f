import { figureOfMeasure, lastYearDirection, lastYearReferenceOf, proRata } from './last-year-comparison';

describe('lastYearReferenceOf', () => {
  it('compares like for like by default: the same quarter last year, same measure', () => {
    expect(lastYearReferenceOf('2024/25-Q3', 'quarterly', 'year_to_date', 'same_period')).toEqual({
      basis: 'same_period',
      needs: { period: '2023/24-Q3', measure: 'year_to_date' },
      label: 'vs 2023/24-Q3',
    });
  });

  it("compares with last year's outturn: Q4 year to date, H2 or the annual figure", () => {
    expect(lastYearReferenceOf('2024/25-Q2', 'monthly', 'year_to_date', 'last_year_outturn')).toEqual({
      basis: 'last_year_outturn',
      needs: { period: '2023/24-Q4', measure: 'year_to_date' },
      label: 'vs 2023/24 outturn',
    });
    // An in-quarter figure's outturn is still the year's cumulative figure.
    expect(lastYearReferenceOf('2024/25-Q2', 'quarterly', 'in_period', 'last_year_outturn').needs).toEqual({ period: '2023/24-Q4', measure: 'year_to_date' });
    expect(lastYearReferenceOf('2024/25-H1', 'six_monthly', 'year_to_date', 'last_year_outturn').needs.period).toBe('2023/24-H2');
    expect(lastYearReferenceOf('2024/25', 'annual', 'in_period', 'last_year_outturn').needs.period).toBe('2023/24');
    expect(lastYearReferenceOf('2024/25-Q1', 'quarterly', 'snapshot', 'last_year_outturn').needs).toEqual({ period: '2023/24-Q4', measure: 'snapshot' });
  });

  it('takes the elapsed share of the year for a year-to-date figure: Q1 1/4 … Q4 4/4', () => {
    const share = (period: string) => lastYearReferenceOf(period, 'quarterly', 'year_to_date', 'pro_rata_annual');
    expect(share('2024/25-Q1')).toMatchObject({ share: { numerator: 1, denominator: 4 }, label: 'vs pro rata 1/4 of 2023/24' });
    expect(share('2024/25-Q3')).toMatchObject({ share: { numerator: 3, denominator: 4 }, label: 'vs pro rata 3/4 of 2023/24' });
    expect(share('2024/25-Q4').share).toEqual({ numerator: 4, denominator: 4 });
    expect(share('2024/25-Q4').needs).toEqual({ period: '2023/24-Q4', measure: 'year_to_date' });
    expect(lastYearReferenceOf('2024/25-H2', 'six_monthly', 'year_to_date', 'pro_rata_annual').share).toEqual({ numerator: 2, denominator: 2 });
  });

  it("takes one period's share for an in-period figure", () => {
    expect(lastYearReferenceOf('2024/25-Q3', 'quarterly', 'in_period', 'pro_rata_annual').share).toEqual({ numerator: 1, denominator: 4 });
  });
});

describe('proRata', () => {
  it("rounds the share to the KPI's decimal places, half away from zero", () => {
    expect(proRata('1001', { numerator: 1, denominator: 4 }, 0)).toBe('250'); // 250.25
    expect(proRata('1002', { numerator: 1, denominator: 4 }, 0)).toBe('251'); // 250.5 exactly: up
    expect(proRata('1002', { numerator: 3, denominator: 4 }, 1)).toBe('751.5');
    expect(proRata('10', { numerator: 1, denominator: 3 }, 2)).toBe('3.33');
    expect(proRata('-1002', { numerator: 1, denominator: 4 }, 0)).toBe('-251');
    expect(proRata('4000', { numerator: 4, denominator: 4 }, 1)).toBe('4000.0');
  });
});

describe('lastYearDirection', () => {
  it('compares with a Q1 pro-rata share: exactly on it is no change', () => {
    const q1 = lastYearReferenceOf('2024/25-Q1', 'quarterly', 'year_to_date', 'pro_rata_annual');
    expect(lastYearDirection('251', q1, '1002', 'higher_is_better', 0)).toEqual({
      basis: 'pro_rata_annual',
      label: 'vs pro rata 1/4 of 2023/24',
      comparedWith: '251',
      direction: 'no_change',
    });
    expect(lastYearDirection('250', q1, '1002', 'higher_is_better', 0).direction).toBe('declining');
    expect(lastYearDirection('250', q1, '1002', 'lower_is_better', 0).direction).toBe('improving');
  });

  it('compares decimals exactly with the outturn', () => {
    const reference = lastYearReferenceOf('2024/25-Q2', 'quarterly', 'year_to_date', 'last_year_outturn');
    expect(lastYearDirection('97.90', reference, '97.9', 'higher_is_better', 2)).toMatchObject({ direction: 'no_change', comparedWith: '97.9' });
    expect(lastYearDirection('97.91', reference, '97.9', 'none', 2).direction).toBe('higher');
  });

  it('gives no direction, with the reason, when last year has no figure', () => {
    const reference = lastYearReferenceOf('2024/25-Q2', 'quarterly', 'year_to_date', 'last_year_outturn');
    expect(lastYearDirection('12', reference, null, 'higher_is_better', 0)).toEqual({
      basis: 'last_year_outturn',
      label: 'vs 2023/24 outturn',
      comparedWith: null,
      direction: null,
      noDirectionReason: 'no_last_year_figure',
    });
    expect(lastYearDirection(null, reference, '10', 'higher_is_better', 0)).toMatchObject({ direction: null, noDirectionReason: 'no_figure', comparedWith: '10' });
  });
});

describe('figureOfMeasure', () => {
  const figure = { value: '40', inPeriodValue: '12', yearToDateValue: '40' };

  it('reads the headline when it is the measure, else the figure given beside it', () => {
    expect(figureOfMeasure(figure, 'year_to_date', 'year_to_date', false)).toBe('40');
    expect(figureOfMeasure(figure, 'year_to_date', 'in_period', false)).toBe('12');
    expect(figureOfMeasure({ value: '12', yearToDateValue: '40' }, 'in_period', 'year_to_date', false)).toBe('40');
  });

  it('has nothing when the other measure was not given, except at the start of the year', () => {
    expect(figureOfMeasure({ value: '12' }, 'in_period', 'year_to_date', false)).toBeNull();
    expect(figureOfMeasure({ value: '12' }, 'in_period', 'year_to_date', true)).toBe('12');
    expect(figureOfMeasure({ value: '12' }, 'snapshot', 'year_to_date', true)).toBeNull();
  });
});

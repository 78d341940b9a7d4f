import { ValidationError } from '../shared/domain-error';
import { comparisonPeriods, directionOfTravel } from './direction-of-travel';

describe('direction of travel', () => {
  it('reads movement through the polarity', () => {
    expect(directionOfTravel('10', '9', 'higher_is_better')).toBe('improving');
    expect(directionOfTravel('10', '9', 'lower_is_better')).toBe('declining');
    expect(directionOfTravel('8', '9', 'lower_is_better')).toBe('improving');
    expect(directionOfTravel('9.0', '9', 'lower_is_better')).toBe('no_change');
  });

  it('says only higher / lower / same without polarity', () => {
    expect(directionOfTravel('10', '9', 'none')).toBe('higher');
    expect(directionOfTravel('-1', '0', 'none')).toBe('lower');
    expect(directionOfTravel('0.50', '0.5', 'none')).toBe('same');
  });

  it('has no direction when either figure is missing', () => {
    expect(directionOfTravel(null, '9', 'higher_is_better')).toBeNull();
    expect(directionOfTravel('9', undefined, 'higher_is_better')).toBeNull();
  });

  it('compares as decimals, not floats', () => {
    expect(directionOfTravel('0.30000000000000004', '0.3', 'higher_is_better')).toBe('improving');
  });
});

describe('comparison periods', () => {
  it('compares a quarterly figure with the previous quarter and the same quarter last year', () => {
    expect(comparisonPeriods('2024/25-Q1', 'quarterly', 'in_period')).toEqual({ previous: '2023/24-Q4', lastYear: '2023/24-Q1' });
    expect(comparisonPeriods('2024/25-Q3', 'monthly', 'snapshot')).toEqual({ previous: '2024/25-Q2', lastYear: '2023/24-Q3' });
  });

  it('compares a year-to-date figure at Q3 with last year at Q3, never the full-year outturn', () => {
    expect(comparisonPeriods('2024/25-Q3', 'quarterly', 'year_to_date')).toEqual({ previous: '2024/25-Q2', lastYear: '2023/24-Q3' });
  });

  it('gives a year-to-date figure at Q1 no previous figure, because the count restarts in April', () => {
    expect(comparisonPeriods('2024/25-Q1', 'quarterly', 'year_to_date')).toEqual({ previous: null, lastYear: '2023/24-Q1' });
  });

  it('compares H2 with H1 and H1 with last year H2 for six-monthly KPIs', () => {
    expect(comparisonPeriods('2024/25-H2', 'six_monthly', 'in_period')).toEqual({ previous: '2024/25-H1', lastYear: '2023/24-H2' });
    expect(comparisonPeriods('2024/25-Q2', 'six_monthly', 'snapshot')).toEqual({ previous: '2023/24-H2', lastYear: '2023/24-H1' });
    expect(comparisonPeriods('2024/25-H1', 'six_monthly', 'year_to_date').previous).toBeNull();
  });

  it('refuses quarters a six-monthly KPI does not report', () => {
    expect(() => comparisonPeriods('2024/25-Q3', 'six_monthly', 'snapshot')).toThrow(ValidationError);
  });

  it('compares an annual figure with last year', () => {
    expect(comparisonPeriods('2024/25', 'annual', 'in_period')).toEqual({ previous: '2023/24', lastYear: '2023/24' });
    expect(comparisonPeriods('2024/25-Q4', 'annual', 'in_period')).toEqual({ previous: '2023/24', lastYear: '2023/24' });
  });

  it('refuses a half year for a quarterly KPI', () => {
    expect(() => comparisonPeriods('2024/25-H1', 'quarterly', 'in_period')).toThrow(ValidationError);
  });
});

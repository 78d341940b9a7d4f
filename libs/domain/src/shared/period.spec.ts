import { ValidationError } from './domain-error';
import {
  reportingPeriodAsTyped,
  comparePeriodIds,
  financialYearOf,
  formatFinancialYear,
  isFinancialYear,
  isIsoDate,
  isIsoInstant,
  isMonth,
  isPeriodId,
  monthsOfQuarter,
  nextQuarter,
  parsePeriodId,
  parseReportingPeriod,
  parseStreamSafePeriodId,
  previousFinancialYear,
  previousQuarter,
  quarterEndDate,
  quarterOfMonth,
  quarterStartDate,
  sameQuarterLastYear,
  streamSafePeriodId,
} from './period';

describe('financial years', () => {
  it('accepts only consecutive years written 2024/25', () => {
    expect(isFinancialYear('2024/25')).toBe(true);
    expect(isFinancialYear('1999/00')).toBe(true);
    expect(isFinancialYear('2024/26')).toBe(false);
    expect(isFinancialYear('2024-25')).toBe(false);
    expect(isFinancialYear('24/25')).toBe(false);
  });

  it('formats, steps back and places dates in the April–March year', () => {
    expect(formatFinancialYear(2099)).toBe('2099/00');
    expect(previousFinancialYear('2024/25')).toBe('2023/24');
    expect(financialYearOf('2025-03-31')).toBe('2024/25');
    expect(financialYearOf('2025-04-01')).toBe('2025/26');
    expect(financialYearOf('2024-07')).toBe('2024/25');
  });
});

describe('quarters', () => {
  it('parses a period id and refuses malformed ones with the field named', () => {
    expect(parsePeriodId('2024/25-Q2')).toEqual({ financialYear: '2024/25', startYear: 2024, quarter: 2 });
    expect(isPeriodId('2024/25-Q5')).toBe(false);
    expect(() => parsePeriodId('2024/26-Q1', 'cycleId')).toThrow(ValidationError);
    expect(() => parsePeriodId('nonsense', 'cycleId')).toThrow(/^cycleId: /);
  });

  it('lists the months of each quarter, Q4 in the next calendar year', () => {
    expect(monthsOfQuarter('2024/25-Q1')).toEqual(['2024-04', '2024-05', '2024-06']);
    expect(monthsOfQuarter('2024/25-Q3')).toEqual(['2024-10', '2024-11', '2024-12']);
    expect(monthsOfQuarter('2024/25-Q4')).toEqual(['2025-01', '2025-02', '2025-03']);
  });

  it('knows where quarters start and end', () => {
    expect(quarterStartDate('2024/25-Q2')).toBe('2024-07-01');
    expect(quarterEndDate('2024/25-Q1')).toBe('2024-06-30');
    expect(quarterEndDate('2024/25-Q2')).toBe('2024-09-30');
    expect(quarterEndDate('2024/25-Q3')).toBe('2024-12-31');
    expect(quarterEndDate('2024/25-Q4')).toBe('2025-03-31');
  });

  it('steps across financial years', () => {
    expect(previousQuarter('2024/25-Q1')).toBe('2023/24-Q4');
    expect(previousQuarter('2024/25-Q3')).toBe('2024/25-Q2');
    expect(nextQuarter('2023/24-Q4')).toBe('2024/25-Q1');
    expect(sameQuarterLastYear('2024/25-Q3')).toBe('2023/24-Q3');
  });

  it('orders quarters', () => {
    expect(comparePeriodIds('2023/24-Q4', '2024/25-Q1')).toBeLessThan(0);
    expect(comparePeriodIds('2024/25-Q2', '2024/25-Q2')).toBe(0);
    expect(comparePeriodIds('2025/26-Q1', '2024/25-Q4')).toBeGreaterThan(0);
  });

  it('finds the quarter of every month', () => {
    expect(quarterOfMonth('2024-04')).toBe('2024/25-Q1');
    expect(quarterOfMonth('2024-09')).toBe('2024/25-Q2');
    expect(quarterOfMonth('2024-12')).toBe('2024/25-Q3');
    expect(quarterOfMonth('2025-01')).toBe('2024/25-Q4');
    expect(quarterOfMonth('2025-03')).toBe('2024/25-Q4');
  });

  it('round-trips the stream-safe form', () => {
    expect(streamSafePeriodId('2024/25-Q2')).toBe('2024-25-Q2');
    expect(parseStreamSafePeriodId('2024-25-Q2')).toBe('2024/25-Q2');
    expect(() => parseStreamSafePeriodId('2024-26-Q2')).toThrow(ValidationError);
  });
});

describe('reporting periods', () => {
  it('reads quarters, half years and years', () => {
    expect(parseReportingPeriod('2024/25-Q2')).toMatchObject({ kind: 'quarter', quarter: 2 });
    expect(parseReportingPeriod('2024/25-H1')).toMatchObject({ kind: 'half', half: 1, financialYear: '2024/25' });
    expect(parseReportingPeriod('2024/25')).toMatchObject({ kind: 'year', startYear: 2024 });
    expect(() => parseReportingPeriod('2024/25-H3')).toThrow(ValidationError);
  });
});

describe('dates', () => {
  it('accepts only real calendar dates and months', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-04-31')).toBe(false);
    expect(isIsoDate('2024-4-1')).toBe(false);
    expect(isMonth('2024-12')).toBe(true);
    expect(isMonth('2024-13')).toBe(false);
  });

  it('accepts ISO instants with an offset only', () => {
    expect(isIsoInstant('2024-10-07T09:30:00.000Z')).toBe(true);
    expect(isIsoInstant('2024-10-07T09:30:00+01:00')).toBe(true);
    expect(isIsoInstant('2024-10-07T09:30:00')).toBe(false);
    expect(isIsoInstant('2024-10-07')).toBe(false);
  });
});

describe('a reporting period as people type it', () => {
  it.each([
    ['2026/27-Q3', '2026/27-Q3'],
    ['2026/27 Q3', '2026/27-Q3'],
    ['Q3 2026/27', '2026/27-Q3'],
    ['q3-2026-27', '2026/27-Q3'],
    ['2026-27-Q3', '2026/27-Q3'],
    ['2026/27 H1', '2026/27-H1'],
    ['h2 2026-27', '2026/27-H2'],
    ['2026-27', '2026/27'],
    [' 2026/27 ', '2026/27'],
  ])('reads %j as %s', (typed, period) => expect(reportingPeriodAsTyped(typed)).toBe(period));

  it.each(['2026 Q3', '2026/2027', '2026/27-Q5', '2026/27-H3', 'Q3', 'third quarter'])('leaves %j as typed, for validation to refuse', (typed) => {
    expect(reportingPeriodAsTyped(typed)).toBe(typed);
  });
});

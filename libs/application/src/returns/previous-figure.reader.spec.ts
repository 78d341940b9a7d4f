import { cyclesThatCanRequest } from './previous-figure.reader';

describe('the cycles whose return can cover a reporting period', () => {
  it('is the quarter itself for a quarter', () => {
    expect(cyclesThatCanRequest('2025/26-Q3')).toEqual(['2025/26-Q3']);
  });

  it('is the quarter that ends a half year', () => {
    expect(cyclesThatCanRequest('2025/26-H1')).toEqual(['2025/26-Q2']);
    expect(cyclesThatCanRequest('2025/26-H2')).toEqual(['2025/26-Q4']);
  });

  it("is the year's Q4 or the next year's Q1–Q3 for a financial year (the annual due quarter)", () => {
    expect(cyclesThatCanRequest('2025/26')).toEqual(['2025/26-Q4', '2026/27-Q1', '2026/27-Q2', '2026/27-Q3']);
  });
});

import { isFinancialYear, parseStreamSafePeriodId, ValidationError, type FinancialYear, type PeriodId } from '@quarterly/domain';

// Periods contain a slash (`2024/25-Q2`), which cannot stand in a path segment: paths use the
// stream-safe form with a hyphen (`2024-25-Q2`, `2024-25`).

export function financialYearFromPath(value: string, field = 'financialYear'): FinancialYear {
  const financialYear = value.replace('-', '/');
  if (!isFinancialYear(financialYear)) {
    throw new ValidationError(field, `expected a financial year like 2024-25, got ${JSON.stringify(value)}`);
  }
  return financialYear;
}

export function periodIdFromPath(value: string, field = 'periodId'): PeriodId {
  return parseStreamSafePeriodId(value, field);
}

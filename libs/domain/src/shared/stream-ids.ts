/**
 * Stream ids of the engine. They are part of the stored data, so their shape is a contract:
 * `kpi-<kpiId>`, `cycle-<2024-25-Q2>`, `return-<kpiId>-<2024-25-Q2>`, `person-<personId>`.
 */
import { ValidationError } from './domain-error';
import { parsePeriodId, PeriodId, streamSafePeriodId } from './period';

/** A KPI reference such as `ASC-01` or `PH.3a`. */
export const KPI_ID_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,31}$/i;
/** A person id such as `j.smith` or `u12345`. */
export const PERSON_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

export function isKpiId(value: unknown): value is string {
  return typeof value === 'string' && KPI_ID_PATTERN.test(value);
}

export function isPersonId(value: unknown): value is string {
  return typeof value === 'string' && PERSON_ID_PATTERN.test(value);
}

export function assertKpiId(value: unknown, field = 'kpiId'): string {
  if (!isKpiId(value)) throw new ValidationError(field, `expected a KPI reference like ASC-01, got ${JSON.stringify(value)}`);
  return value;
}

export function kpiStreamId(kpiId: string): string {
  return `kpi-${assertKpiId(kpiId)}`;
}

export function cycleStreamId(periodId: PeriodId): string {
  return `cycle-${streamSafePeriodId(periodId)}`;
}

export function returnStreamId(kpiId: string, periodId: PeriodId): string {
  return `return-${assertKpiId(kpiId)}-${streamSafePeriodId(periodId)}`;
}

/** The id of a return as shown to people and stored in events: `ASC-01:2024/25-Q2`. */
export function returnIdOf(kpiId: string, periodId: PeriodId): string {
  parsePeriodId(periodId);
  return `${assertKpiId(kpiId)}:${periodId}`;
}

/** Splits a return id back into KPI and cycle; throws ValidationError if malformed. */
export function parseReturnId(returnId: string, field = 'returnId'): { kpiId: string; periodId: PeriodId } {
  const separator = returnId.lastIndexOf(':');
  const kpiId = returnId.slice(0, separator);
  const periodId = returnId.slice(separator + 1);
  if (separator < 1 || !isKpiId(kpiId)) throw new ValidationError(field, `expected <kpiId>:<2024/25-Q2>, got ${returnId}`);
  parsePeriodId(periodId, field);
  return { kpiId, periodId };
}

export function personStreamId(personId: string): string {
  if (!isPersonId(personId)) throw new ValidationError('personId', `expected a person id like j.smith, got ${JSON.stringify(personId)}`);
  return `person-${personId}`;
}

/**
 * Rules that span the register and the directory: a KPI id is unique regardless of case, and a
 * directorate is written one way. The handler reads the facts (every KPI id and directorate the
 * register holds) and these pure checks decide.
 */
import { KpiIdClashError, ValidationError } from '../shared/domain-error';

/** What the register holds now, as far as these rules need it. */
export interface RegisterFacts {
  /** KPI ids, retired ones included: every one, or at least every one equal regardless of case to the id being checked. */
  readonly kpiIds: readonly string[];
  /** Every directorate a KPI in the register belongs to, retired ones included. */
  readonly directorates: readonly string[];
}

/**
 * References a new KPI may not take: a KPI's reference is the last part of its page's address
 * (`/app/kpis/ASC-01`), and `/app/kpis/new` is the page that adds one (addresses ignore case).
 */
const RESERVED_KPI_IDS = new Set(['new']);

/** Refuses a reserved reference for a new KPI (KPIs already in the register keep theirs). */
export function assertKpiIdNotReserved(kpiId: string, field = 'kpiId'): void {
  if (RESERVED_KPI_IDS.has(kpiId.toLowerCase())) {
    throw new ValidationError(field, `"${kpiId}" is reserved: /app/kpis/${kpiId.toLowerCase()} is the page that adds a KPI; choose another reference`);
  }
}

/** Refuses a new KPI id that differs only in case from one in the register (`ph-01` beside `PH-01`). */
export function assertNoKpiIdClash(kpiId: string, facts: RegisterFacts): void {
  const folded = kpiId.toLowerCase();
  const existing = facts.kpiIds.find((id) => id !== kpiId && id.toLowerCase() === folded);
  if (existing !== undefined) throw new KpiIdClashError(kpiId, existing);
}

/** The comparison key of a directorate name: case and runs of spaces do not make a new one. */
export function directorateKey(name: string): string {
  return name.trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * A KPI's directorate may be new (the first KPI of a directorate brings it into the register),
 * but not a variant of one already there: `adults and health` beside `Adults and Health`.
 */
export function assertDirectorateSpelling(directorate: string, facts: RegisterFacts, field = 'directorate'): void {
  const key = directorateKey(directorate);
  const known = facts.directorates.find((name) => name !== directorate && directorateKey(name) === key);
  if (known !== undefined) throw new ValidationError(field, `is written "${known}" in the register, not "${directorate}"`);
}

/**
 * A person's directorate must be one the register holds: a DMT reviews, and a service lead
 * reports for, a directorate that has KPIs.
 */
export function assertKnownDirectorate(directorate: string, facts: RegisterFacts, field = 'directorate'): void {
  if (facts.directorates.includes(directorate)) return;
  assertDirectorateSpelling(directorate, facts, field);
  const known = [...facts.directorates].sort();
  throw new ValidationError(
    field,
    known.length === 0
      ? `no directorate exists yet: define the directorate's KPIs first`
      : `${directorate} is not a directorate of the register (${known.join(', ')})`,
  );
}

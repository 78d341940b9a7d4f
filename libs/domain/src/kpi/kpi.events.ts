/** Events of the KPI register; one stream per KPI, `kpi-<kpiId>`. */
import type { DomainEvent } from '../shared/decider';
import type { FinancialYear, PeriodId } from '../shared/period';
import type { RatingPolicy } from '../shared/rating.types';
import type { KpiDescription } from './kpi-attributes';
import type { LastYearBasis, RatedFigure, TargetPeriod } from './kpi-targets';

export interface KpiDefinedData extends KpiDescription {
  readonly kpiId: string;
  /** User id of the accountable owner. */
  readonly owner: string;
  /** User ids of the officers who produce the figure and receive reminders. */
  readonly keyContacts: readonly string[];
  /** Why, when the definition came from elsewhere (a register import: the file's name and digest). */
  readonly reason?: string;
}

export interface KpiDefinitionAmendedData {
  /** Only the fields that changed, with their new values. */
  readonly changes: Partial<KpiDescription>;
  readonly reason: string;
  /** Figures up to and including this quarter have no status while the new definition beds in. */
  readonly underQualityAssuranceUntil?: PeriodId;
}

export interface KpiOwnershipChangedData {
  readonly owner: string;
  readonly keyContacts: readonly string[];
  readonly reason?: string;
}

/**
 * A target for a financial year. Without `period` it is the whole year's policy and states the
 * year's rating model: its `ratedFigure` and `lastYearBasis` (absent = the KPI's measure type and
 * `same_period`, which is what every event recorded before these fields existed means). With
 * `period` it is one period's policy (a quarterly or interim profile) overriding the year's there;
 * a `ratedFigure` or `lastYearBasis` it carries then changes the year's, and absent ones leave them.
 */
export interface KpiTargetPolicySetData {
  readonly financialYear: FinancialYear;
  readonly policy: RatingPolicy;
  readonly period?: TargetPeriod;
  readonly ratedFigure?: RatedFigure;
  readonly lastYearBasis?: LastYearBasis;
  /** Why, when given (a register import: the file's name and digest). */
  readonly reason?: string;
}

export interface KpiRetiredData {
  readonly reason: string;
  /** The first quarter for which no return is requested. */
  readonly effectiveFrom: PeriodId;
}

export type KpiDefined = DomainEvent<'KpiDefined', KpiDefinedData>;
export type KpiDefinitionAmended = DomainEvent<'KpiDefinitionAmended', KpiDefinitionAmendedData>;
export type KpiOwnershipChanged = DomainEvent<'KpiOwnershipChanged', KpiOwnershipChangedData>;
export type KpiTargetPolicySet = DomainEvent<'KpiTargetPolicySet', KpiTargetPolicySetData>;
export type KpiRetired = DomainEvent<'KpiRetired', KpiRetiredData>;

export type KpiEvent =
  | KpiDefined
  | KpiDefinitionAmended
  | KpiOwnershipChanged
  | KpiTargetPolicySet
  | KpiRetired;

export type KpiEventType = KpiEvent['type'];
export const KPI_EVENT_TYPES: readonly KpiEventType[] = [
  'KpiDefined',
  'KpiDefinitionAmended',
  'KpiOwnershipChanged',
  'KpiTargetPolicySet',
  'KpiRetired',
];

/** The vocabulary of the KPI register, shared by the KPI, cycle and return streams. */
import type { Quarter } from '../shared/period';
import type { RatingLabels } from '../shared/rating.types';

export type KpiUnit =
  | 'percentage'
  | 'count'
  | 'rate_per_1000'
  | 'rate_per_10000'
  | 'rate_per_100000'
  | 'money'
  | 'days'
  | 'score';
export const KPI_UNITS: readonly KpiUnit[] = [
  'percentage',
  'count',
  'rate_per_1000',
  'rate_per_10000',
  'rate_per_100000',
  'money',
  'days',
  'score',
];

/** Whether a higher figure is better, a lower one is, or neither (trackers). */
export type Polarity = 'higher_is_better' | 'lower_is_better' | 'none';
export const POLARITIES: readonly Polarity[] = ['higher_is_better', 'lower_is_better', 'none'];

export type Frequency = 'monthly' | 'quarterly' | 'six_monthly' | 'annual';
export const FREQUENCIES: readonly Frequency[] = ['monthly', 'quarterly', 'six_monthly', 'annual'];

/**
 * What the figure measures: the period alone, the year so far (cumulative), the 12 months to
 * the period end, or the position on the last day of the period.
 */
export type MeasureType = 'in_period' | 'year_to_date' | 'rolling_12_months' | 'snapshot';
export const MEASURE_TYPES: readonly MeasureType[] = [
  'in_period',
  'year_to_date',
  'rolling_12_months',
  'snapshot',
];

export const RATING_LABELS: readonly RatingLabels[] = ['green_amber_red', 'on_track_monitor_action'];

/** Inclusive bounds of a KPI's figures (decimal strings); null means unbounded on that side. */
export interface ValueRange {
  readonly min: string | null;
  readonly max: string | null;
}

/** The descriptive fields of a KPI: everything but its id, people, targets and retirement. */
export interface KpiDescription {
  readonly title: string;
  /** The precise definition (numerator, denominator, inclusions, exclusions). */
  readonly definition: string;
  readonly directorate: string;
  readonly serviceArea: string;
  /** The plan outcome the KPI serves, e.g. "1.2.1 Keep our city clean". */
  readonly planOutcome: string;
  readonly unit: KpiUnit;
  /** The precision figures are reported at (0–6). */
  readonly decimalPlaces: number;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  /** For annual KPIs: the quarter whose cycle collects the figure (default Q4). */
  readonly annualDueQuarter?: Quarter;
  readonly measureType: MeasureType;
  readonly dataSource: string;
  /** Known limitations and data-quality notes. */
  readonly limitations: string;
  /** e.g. "national average", "statistical neighbours", "core cities". */
  readonly benchmarkSources: readonly string[];
  readonly labels: RatingLabels;
  /**
   * The valid range of figures and targets when it differs from the unit's (a percentage is 0–100,
   * a count, rate or number of days not negative, money and scores unbounded). Absent on KPIs
   * defined before ranges were checked: they take their unit's range.
   */
  readonly validRange?: ValueRange;
  /**
   * How figures are labelled when displayed, as free text ("µg/m³", "tonnes per household", "£k",
   * "per 1,000 population"); printed after the figure. The `unit` still decides the valid range
   * and the `%` / `£` formatting. Absent on KPIs defined before it existed.
   */
  readonly unitLabel?: string;
}

/**
 * What the cycle and return streams need to know about a KPI at the time a cycle opens. The
 * command handler builds it from the KPI stream (`kpiSnapshotOf`).
 */
export interface KpiSnapshot {
  readonly kpiId: string;
  readonly title: string;
  readonly directorate: string;
  readonly owner: string;
  readonly keyContacts: readonly string[];
  readonly unit: KpiUnit;
  readonly decimalPlaces: number;
  readonly polarity: Polarity;
  readonly frequency: Frequency;
  readonly annualDueQuarter?: Quarter;
  readonly measureType: MeasureType;
  readonly labels: RatingLabels;
  readonly validRange?: ValueRange;
  /** The first quarter in which the KPI is retired, or null while live. */
  readonly retiredFrom: string | null;
}

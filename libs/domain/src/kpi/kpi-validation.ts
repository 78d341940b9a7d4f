/** Validation of KPI register fields and target policies, shared by the KPI decider and handlers. */
import { DecimalString, parseDecimal } from '../shared/decimal-value';
import { ValidationError } from '../shared/domain-error';
import type { Quarter } from '../shared/period';
import type { RatingPolicy } from '../shared/rating.types';
import { isPersonId } from '../shared/stream-ids';
import { requireInteger, requireObject, requireOneOf, requireStringList, requireText } from '../shared/validation';
import {
  FREQUENCIES,
  KPI_UNITS,
  KpiDescription,
  MEASURE_TYPES,
  Polarity,
  POLARITIES,
  RATING_LABELS,
  type ValueRange,
} from './kpi-attributes';
import { requireWithinRange, validateValueRange } from './value-range';

/** Longest title, since it is printed in scorecard tables. */
const TITLE_MAX = 300;
/** Longest unit label ("tonnes of residual waste per household per year" fits). */
const UNIT_LABEL_MAX = 60;
/** Finest precision any council reports (rates per 100,000 with decimals). */
export const MAX_DECIMAL_PLACES = 6;

export function requirePersonId(value: unknown, field: string): string {
  if (!isPersonId(value)) throw new ValidationError(field, `expected a user id like j.smith, got ${JSON.stringify(value)}`);
  return value;
}

export function requirePersonList(value: unknown, field: string): string[] {
  return requireStringList(value, field, requirePersonId);
}

/** Validates a complete description and returns a clean copy (unknown keys dropped). */
export function validateKpiDescription(input: unknown, prefix = ''): KpiDescription {
  const value = requireObject(input, prefix === '' ? 'kpi' : prefix.slice(0, -1));
  const frequency = requireOneOf(value.frequency, FREQUENCIES, `${prefix}frequency`);
  let annualDueQuarter: Quarter | undefined;
  if (value.annualDueQuarter !== undefined) {
    if (frequency !== 'annual') throw new ValidationError(`${prefix}annualDueQuarter`, 'applies to annual KPIs only');
    annualDueQuarter = requireOneOf(value.annualDueQuarter, [1, 2, 3, 4] as const, `${prefix}annualDueQuarter`);
  }
  return {
    title: requireText(value.title, `${prefix}title`, { maxLength: TITLE_MAX }),
    definition: requireText(value.definition, `${prefix}definition`),
    directorate: requireText(value.directorate, `${prefix}directorate`, { maxLength: 200 }),
    serviceArea: requireText(value.serviceArea, `${prefix}serviceArea`, { maxLength: 200 }),
    planOutcome: requireText(value.planOutcome, `${prefix}planOutcome`, { maxLength: 300 }),
    unit: requireOneOf(value.unit, KPI_UNITS, `${prefix}unit`),
    decimalPlaces: requireInteger(value.decimalPlaces, `${prefix}decimalPlaces`, 0, MAX_DECIMAL_PLACES),
    polarity: requireOneOf(value.polarity, POLARITIES, `${prefix}polarity`),
    frequency,
    ...(annualDueQuarter === undefined ? {} : { annualDueQuarter }),
    measureType: requireOneOf(value.measureType, MEASURE_TYPES, `${prefix}measureType`),
    dataSource: requireText(value.dataSource, `${prefix}dataSource`, { maxLength: 500 }),
    limitations: requireText(value.limitations, `${prefix}limitations`, { allowEmpty: true }),
    benchmarkSources: requireStringList(value.benchmarkSources, `${prefix}benchmarkSources`),
    labels: requireOneOf(value.labels, RATING_LABELS, `${prefix}labels`),
    ...(value.validRange === undefined || value.validRange === null
      ? {}
      : { validRange: validateValueRange(value.validRange, `${prefix}validRange`) }),
    ...(value.unitLabel === undefined || value.unitLabel === null || value.unitLabel === ''
      ? {}
      : { unitLabel: requireText(value.unitLabel, `${prefix}unitLabel`, { maxLength: UNIT_LABEL_MAX }) }),
  };
}

/**
 * Validates a target policy against the KPI's polarity: thresholds must be ordered the way the
 * polarity says is better, and policies that need a better side refuse polarity `none`.
 */
export function validateRatingPolicy(
  input: unknown,
  polarity: Polarity,
  field = 'policy',
  range: ValueRange = { min: null, max: null },
): RatingPolicy {
  const value = requireObject(input, field);
  const kind = requireOneOf(value.kind, ['thresholds', 'tolerance', 'met_not_met', 'direction', 'tracker'] as const, `${field}.kind`);
  const needsPolarity = (): void => {
    if (polarity === 'none') {
      throw new ValidationError(`${field}.kind`, `${kind} needs a KPI whose polarity says which way is better`);
    }
  };
  /** A target: a decimal within the KPI's valid range. */
  const decimal = (name: string): DecimalString => {
    parseDecimal(value[name], `${field}.${name}`);
    requireWithinRange(value[name] as DecimalString, range, `${field}.${name}`);
    return value[name] as DecimalString;
  };
  switch (kind) {
    case 'thresholds': {
      needsPolarity();
      const green = decimal('green');
      const amber = decimal('amber');
      const order = parseDecimal(green, `${field}.green`).comparedTo(parseDecimal(amber, `${field}.amber`));
      if (polarity === 'higher_is_better' && order < 0) {
        throw new ValidationError(`${field}.amber`, 'must not be above the green target when higher is better');
      }
      if (polarity === 'lower_is_better' && order > 0) {
        throw new ValidationError(`${field}.amber`, 'must not be below the green target when lower is better');
      }
      return { kind, green, amber };
    }
    case 'tolerance': {
      needsPolarity();
      const tolerance = parseDecimal(value.tolerancePercent, `${field}.tolerancePercent`);
      const tolerancePercent = value.tolerancePercent as DecimalString;
      if (tolerance.isNegative() || tolerance.greaterThan(100)) {
        throw new ValidationError(`${field}.tolerancePercent`, 'must be from 0 to 100');
      }
      return { kind, target: decimal('target'), tolerancePercent };
    }
    case 'met_not_met':
      needsPolarity();
      return { kind, target: decimal('target') };
    case 'direction':
      return { kind, direction: requireOneOf(value.direction, ['increase', 'decrease'] as const, `${field}.direction`) };
    case 'tracker':
      return { kind };
  }
}

/**
 * What a KPI's figures can be, and how an entered figure is written down.
 *
 * A count, a rate or a number of days cannot be negative and a percentage lies from 0 to 100,
 * unless the KPI's register entry says otherwise (`validRange`, e.g. a percentage change that can
 * fall below zero, or a net count). Figures and targets outside the range are refused, naming
 * the field. An accepted figure is normalised (`-0` → `0`, `0000012.0` → `12.0`) and the text as
 * entered is kept beside it in the event when it differs.
 */
import Decimal from 'decimal.js';
import { DecimalString, decimalPlacesOf, parseDecimal, significantDecimalPlacesOf } from '../shared/decimal-value';
import { ValidationError } from '../shared/domain-error';
import { requireObject } from '../shared/validation';
import type { KpiUnit, ValueRange } from './kpi-attributes';

const NON_NEGATIVE: ValueRange = { min: '0', max: null };
const UNBOUNDED: ValueRange = { min: null, max: null };

/** The range a unit implies when the register entry does not state one. */
export const DEFAULT_VALUE_RANGES: Readonly<Record<KpiUnit, ValueRange>> = {
  percentage: { min: '0', max: '100' },
  count: NON_NEGATIVE,
  rate_per_1000: NON_NEGATIVE,
  rate_per_10000: NON_NEGATIVE,
  rate_per_100000: NON_NEGATIVE,
  days: NON_NEGATIVE,
  money: UNBOUNDED,
  score: UNBOUNDED,
};

/** The range in force for a KPI: its own when stated, else its unit's. */
export function valueRangeOf(kpi: { readonly unit: KpiUnit; readonly validRange?: ValueRange }): ValueRange {
  return kpi.validRange ?? DEFAULT_VALUE_RANGES[kpi.unit];
}

/** Validates a stated range: decimals or null, the minimum not above the maximum. */
export function validateValueRange(input: unknown, field: string): ValueRange {
  const value = requireObject(input, field);
  const bound = (name: 'min' | 'max'): DecimalString | null => {
    const raw = value[name];
    if (raw === null || raw === undefined) return null;
    parseDecimal(raw, `${field}.${name}`);
    return normaliseDecimalText(raw as string);
  };
  const min = bound('min');
  const max = bound('max');
  if (min !== null && max !== null && new Decimal(min).greaterThan(max)) {
    throw new ValidationError(`${field}.max`, `must not be below the minimum ${min}`);
  }
  return { min, max };
}

/** Refuses a value outside the range, naming the field and the range. */
export function requireWithinRange(value: DecimalString, range: ValueRange, field: string): void {
  const decimal = new Decimal(value);
  const below = range.min !== null && decimal.lessThan(range.min);
  const above = range.max !== null && decimal.greaterThan(range.max);
  if (below || above) throw new ValidationError(field, `${value} is outside the valid range ${describeValueRange(range)}`);
}

export function describeValueRange(range: ValueRange): string {
  if (range.min !== null && range.max !== null) return `${range.min} to ${range.max}`;
  if (range.min !== null) return `${range.min} or more`;
  if (range.max !== null) return `${range.max} or less`;
  return 'any value';
}

/** A figure as it will be stored, and the text as entered when that differs. */
export interface EnteredFigure {
  readonly value: DecimalString;
  readonly asEntered?: string;
}

/**
 * Checks an entered figure against the KPI (a decimal, no finer than its precision, within its
 * range) and normalises it: no leading zeros, no negative zero, no more decimal places than the
 * KPI reports (trailing zeros up to its precision are kept: `12.0` stays `12.0`).
 */
export function enteredFigureOf(
  raw: unknown,
  kpi: { readonly decimalPlaces: number; readonly unit: KpiUnit; readonly validRange?: ValueRange },
  field: string,
): EnteredFigure {
  parseDecimal(raw, field);
  const text = raw as DecimalString;
  const places = kpi.decimalPlaces;
  if (significantDecimalPlacesOf(text) > places) {
    throw new ValidationError(field, `is reported to ${places} decimal place${places === 1 ? '' : 's'}`);
  }
  const value = normaliseDecimalText(text, places);
  requireWithinRange(value, valueRangeOf(kpi), field);
  return value === text ? { value } : { value, asEntered: text };
}

/**
 * The canonical writing of a decimal numeral at the places it was written with (at most
 * `maxPlaces`): `0000012.0` → `12.0`, `-0` → `0`, `-0.00` → `0.00`.
 */
export function normaliseDecimalText(text: DecimalString, maxPlaces = Number.POSITIVE_INFINITY): DecimalString {
  const decimal = new Decimal(text);
  const fixed = decimal.toFixed(Math.min(decimalPlacesOf(text), maxPlaces));
  return decimal.isZero() && fixed.startsWith('-') ? fixed.slice(1) : fixed;
}
